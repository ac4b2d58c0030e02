// Search operators offered as you type (the engine reads them: engine/src/query.rs): the
// last word being typed, when it begins an operator, is completed from this list, folder
// names after "in:" and account addresses after "account:".

export const OPERATORS = [
  "from:",
  "to:",
  "subject:",
  "has:attachment",
  "is:unread",
  "is:read",
  "is:flagged",
  "in:",
  "account:",
  "after:",
  "before:",
] as const;

const DATES = ["today", "yesterday"];

/** What the search box may become: `text` with its last word completed, at most 6. */
export function suggestions(text: string, folders: string[], accounts: string[]): string[] {
  const at = text.lastIndexOf(" ") + 1;
  const [head, last] = [text.slice(0, at), text.slice(at)];
  if (last.length === 0) return [];
  const lower = last.toLowerCase();
  const quote = (v: string) => (/\s/.test(v) ? `"${v}"` : v);
  const values = (prefix: string, options: string[]) =>
    options.filter((o) => o.toLowerCase().startsWith(lower.slice(prefix.length))).map((o) => prefix + quote(o));
  let words: string[];
  if (lower.startsWith("in:")) words = values("in:", folders);
  else if (lower.startsWith("account:")) words = values("account:", accounts);
  else if (lower.startsWith("after:") || lower.startsWith("before:")) {
    const prefix = lower.startsWith("after:") ? "after:" : "before:";
    words = values(prefix, DATES);
  } else words = OPERATORS.filter((o) => o.startsWith(lower));
  return [...new Set(words)]
    .filter((w) => w.toLowerCase() !== lower)
    .slice(0, 6)
    .map((w) => head + w);
}
