// Keyboard shortcuts, as mail clients have them. Pure: a key in, an action out.

export type Shortcut =
  | "next"
  | "previous"
  | "reply"
  | "replyAll"
  | "forward"
  | "archive"
  | "delete"
  | "compose"
  | "search"
  | "help";

const KEYS: Record<string, Shortcut> = {
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
};

/** What the key does, or null: never while typing, never with Ctrl, Alt or Meta. */
export function shortcutFor(event: {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  typing: boolean;
}): Shortcut | null {
  if (event.typing || event.ctrlKey || event.altKey || event.metaKey) return null;
  return Object.hasOwn(KEYS, event.key) ? KEYS[event.key]! : null;
}

/** The table the help screen shows. */
export const SHORTCUT_KEYS: ReadonlyArray<[string, Shortcut]> = Object.entries(KEYS);

export function isTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}
