import { describe, expect, it } from "vitest";
import { SHORTCUT_KEYS, shortcutFor } from "./shortcuts";

describe("shortcutFor", () => {
  it("picks rows and undoes: x, Ctrl+A (not in a text field), z, ! for junk", () => {
    expect(shortcutFor({ key: "x", typing: false })).toBe("toggle");
    expect(shortcutFor({ key: "z", typing: false })).toBe("undo");
    expect(shortcutFor({ key: "!", typing: false })).toBe("junk");
    expect(shortcutFor({ key: "a", ctrlKey: true, typing: false })).toBe("pickAll");
    expect(shortcutFor({ key: "a", ctrlKey: true, typing: true })).toBeNull();
    expect(shortcutFor({ key: "z", typing: true })).toBeNull();
  });

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
    expect(SHORTCUT_KEYS).toHaveLength(20);
  });

  it("has the desktop's Ctrl combinations, even while typing, and Delete outside fields", () => {
    expect(shortcutFor({ key: "q", ctrlKey: true, typing: true })).toBe("quit");
    expect(shortcutFor({ key: "p", ctrlKey: true, typing: false })).toBe("print");
    expect(shortcutFor({ key: "P", metaKey: true, typing: true })).toBe("print");
    expect(shortcutFor({ key: "N", ctrlKey: true, typing: false })).toBe("compose");
    expect(shortcutFor({ key: "f", metaKey: true, typing: false })).toBe("search");
    expect(shortcutFor({ key: "Delete", typing: false })).toBe("delete");
    expect(shortcutFor({ key: "Delete", typing: true })).toBeNull();
    expect(shortcutFor({ key: "q", ctrlKey: true, altKey: true, typing: false })).toBeNull();
  });

  it("stays out of the way while typing or with modifiers", () => {
    expect(shortcutFor({ key: "r", typing: true })).toBeNull();
    expect(shortcutFor({ key: "r", ctrlKey: true, typing: false })).toBeNull();
    expect(shortcutFor({ key: "Delete", ctrlKey: true, typing: false })).toBeNull();
    expect(shortcutFor({ key: "y", typing: false })).toBeNull();
    expect(shortcutFor({ key: "toString", typing: false })).toBeNull();
  });

  it("stars with s, never while typing", () => {
    expect(shortcutFor({ key: "s", typing: false })).toBe("star");
    expect(shortcutFor({ key: "s", typing: true })).toBeNull();
  });
});
