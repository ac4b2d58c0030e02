import { describe, expect, it } from "vitest";
import type { Folder } from "./bindings";
import { canDrop, canManage, dragData, dragIds, leafName, nameProblem, readDrag } from "./folders";

const folder = (over: Partial<Folder>): Folder => ({
  id: 1,
  name: "Projets",
  displayName: "Projets",
  role: null,
  delimiter: "/",
  unread: 0,
  total: 0,
  ...over,
});

describe("folders", () => {
  it("carries dragged rows and refuses anything else", () => {
    expect(readDrag(dragData("alice@example.test", "INBOX", [3, 4]))).toEqual({
      account: "alice@example.test",
      folder: "INBOX",
      ids: [3, 4],
    });
    const cases = ["", "hello", "[]", "null", '{"account":"a","folder":"f","ids":[]}', '{"account":"a","folder":"f","ids":["1"]}'];
    cases.push('{"account":"a","folder":"f","ids":[-1]}', '{"folder":"f","ids":[1]}', '{"account":"a","ids":[1]}', "x".repeat(200_000));
    for (const bad of cases) {
      expect(readDrag(bad), bad.slice(0, 30)).toBeNull();
    }
  });

  it("drags the picked rows when the row is one of them, else the row alone", () => {
    expect(dragIds(new Set([4, 7, 9]), 7)).toEqual([4, 7, 9]);
    expect(dragIds(new Set([4, 7, 9]), 5)).toEqual([5]);
    expect(dragIds(new Set(), 5)).toEqual([5]);
  });

  it("drops only on another folder of the same account", () => {
    const dragged = readDrag(dragData("a@x", "INBOX", [1]));
    expect(canDrop(dragged, "a@x", folder({}))).toBe(true);
    expect(canDrop(dragged, "b@x", folder({}))).toBe(false);
    expect(canDrop(dragged, "a@x", folder({ name: "INBOX" }))).toBe(false);
    expect(canDrop(null, "a@x", folder({}))).toBe(false);
  });

  it("leaves special-use folders alone and checks names", () => {
    expect(canManage(folder({}))).toBe(true);
    expect(canManage(folder({ role: "sent" }))).toBe(false);
    expect(nameProblem("  ", "/")).toBe("folderNameEmpty");
    expect(nameProblem("a/b", "/")).toBe("folderNameDelimiter");
    expect(nameProblem("a.b", "/")).toBeNull();
    expect(leafName(folder({ displayName: "Projets/2024" }))).toBe("2024");
    expect(leafName(folder({ displayName: "Réunions" }))).toBe("Réunions");
  });
});
