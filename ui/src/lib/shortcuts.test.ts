import { describe, expect, it } from "vitest";
import { SHORTCUT_KEYS, shortcutFor } from "./shortcuts";

describe("shortcutFor", () => {
  it("maps the mail keys", () => {
    const map = Object.fromEntries(
      ["j", "k", "r", "a", "f", "e", "#", "c", "/", "?"].map((key) => [key, shortcutFor({ key, typing: false })]),
    );
    expect(map).toEqual({
      j: "next",
      k: "previous",
      r: "reply",
      a: "replyAll",
      f: "forward",
      e: "archive",
      "#": "delete",
      c: "compose",
      "/": "search",
      "?": "help",
    });
    expect(SHORTCUT_KEYS).toHaveLength(10);
  });

  it("stays out of the way while typing or with modifiers", () => {
    expect(shortcutFor({ key: "r", typing: true })).toBeNull();
    expect(shortcutFor({ key: "r", ctrlKey: true, typing: false })).toBeNull();
    expect(shortcutFor({ key: "x", typing: false })).toBeNull();
    expect(shortcutFor({ key: "toString", typing: false })).toBeNull();
  });
});
