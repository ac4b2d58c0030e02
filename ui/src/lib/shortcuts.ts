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
  | "help"
  | "quit"
  | "print"
  | "toggle"
  | "pickAll"
  | "undo"
  | "junk"
  | "star";

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
  x: "toggle",
  z: "undo",
  "!": "junk",
  s: "star",
};

/** The desktop's own, with Ctrl (Cmd on macOS): they work while typing too. */
const WITH_CTRL: Record<string, Shortcut> = {
  n: "compose",
  f: "search",
  q: "quit",
  p: "print",
  a: "pickAll",
};

/** What the key does, or null. Mail keys never while typing nor with a modifier; the
 * desktop's Ctrl combinations everywhere; Delete deletes, outside text fields. */
export function shortcutFor(event: {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  typing: boolean;
}): Shortcut | null {
  if (event.altKey) return null;
  if (event.ctrlKey || event.metaKey) {
    const key = event.key.toLowerCase();
    // Ctrl+A in a text field selects its text.
    if (key === "a" && event.typing) return null;
    return Object.hasOwn(WITH_CTRL, key) ? WITH_CTRL[key]! : null;
  }
  if (event.typing) return null;
  if (event.key === "Delete") return "delete";
  return Object.hasOwn(KEYS, event.key) ? KEYS[event.key]! : null;
}

/** The table the help screen shows. */
export const SHORTCUT_KEYS: ReadonlyArray<[string, Shortcut]> = [
  ...Object.entries(KEYS),
  ["Delete", "delete"],
  ...Object.entries(WITH_CTRL).map(([key, action]): [string, Shortcut] => [`Ctrl+${key.toUpperCase()}`, action]),
];

/** Compose's own keys (Compose.svelte, Recipients.svelte), for the help screen. */
export const COMPOSE_KEYS: ReadonlyArray<[string, "send" | "closeCompose" | "pickAddress" | "forgetAddress"]> = [
  ["Ctrl+Enter", "send"],
  ["Escape", "closeCompose"],
  ["↑ ↓ Enter Tab", "pickAddress"],
  ["Shift+Delete", "forgetAddress"],
];

export function isTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}
