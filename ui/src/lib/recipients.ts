// Recipient fields (To, Cc, Bcc) as chips with address completion: what a typed or pasted
// text is as recipients, which look wrong, and which suggestions to show in what order.
// Pure, for Recipients.svelte and its tests; the contacts come ranked from the engine.

import type { Contact } from "./bindings";

/** One recipient as written: "Name <addr>", "\"Last, First\" <addr>" or a bare address. */
export interface Recipient {
  /** What goes into the draft, as written. */
  text: string;
  /** The address alone, lower-cased. */
  address: string;
  /** The display name, if one was written. */
  name: string;
  /** Looks like an address a server could take. */
  valid: boolean;
}

/** A plausible address: something@domain.tld, no spaces or brackets, labels that make sense. */
export function isValidAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf("@");
  if (at < 1 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (/[\s<>()[\],;:"\\]/u.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  const labels = domain.split(".");
  return labels.length >= 2 && labels.every((l) => /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u.test(l));
}

/** One written recipient read: its name and address, and whether the address holds. */
export function parseRecipient(written: string): Recipient {
  const text = written.trim();
  const angle = /^(.*)<([^<>]*)>\s*$/su.exec(text);
  const address = (angle ? angle[2]! : text).trim();
  const name = angle ? unquote(angle[1]!.trim()) : "";
  return { text, address: address.toLowerCase(), name, valid: isValidAddress(address) };
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') && name.length >= 2 ? name.slice(1, -1).replace(/\\(.)/gu, "$1") : name;
}

/** A field's text cut into recipients at commas, semicolons and line ends, but not inside
 * quotes or angle brackets ("Martin, Paul" <paul@x> is one). */
export function splitRecipients(field: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let angled = false;
  for (const c of field) {
    if (c === '"') quoted = !quoted;
    else if (c === "<" && !quoted) angled = true;
    else if (c === ">" && !quoted) angled = false;
    if (!quoted && !angled && (c === "," || c === ";" || c === "\n")) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** What typing or pasting `typed` completes: the recipients followed by a comma, semicolon
 * or line end (outside quotes and brackets) become chips; the rest stays typed. */
export function takeComplete(typed: string): { done: string[]; rest: string } {
  const parts = splitRecipients(typed);
  const ended = splitRecipients(`${typed}x`).length > parts.length;
  if (ended) return { done: parts, rest: "" };
  if (parts.length <= 1) return { done: [], rest: typed };
  return { done: parts.slice(0, -1), rest: parts.at(-1) ?? "" };
}

/** How a contact is written into a field: the bare address, or its name quoted when the
 * name holds characters an address header gives meaning to. */
export function mailbox(contact: Pick<Contact, "name" | "address">): string {
  if (!contact.name) return contact.address;
  if (/^[\p{L}\p{N} .'-]+$/u.test(contact.name)) return `${contact.name} <${contact.address}>`;
  return `"${contact.name.replace(/["\\]/gu, "")}" <${contact.address}>`;
}

/** Lower case without accents, as the engine folds: "Zoë" and "zoe" are one. */
export function fold(text: string): string {
  const special: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[ßæœøłđðþı]/gu, (c) => special[c] ?? c);
}

/** The suggestions to show for `typed`: none already chosen, at most `max`; those whose
 * name or address starts with what was typed first ("jo" → Joanna before Marie Jolie),
 * else in the engine's order (sent, answered, received; recent first). */
export function suggestions(found: Contact[], typed: string, chosen: Recipient[], max = 8): Contact[] {
  const taken = new Set(chosen.map((r) => r.address));
  const start = fold(typed.trim());
  const starts = (c: Contact): boolean => start !== "" && (fold(c.name).startsWith(start) || c.address.startsWith(start));
  const fresh = found.filter((c) => !taken.has(c.address.toLowerCase()));
  return [...fresh.filter(starts), ...fresh.filter((c) => !starts(c))].slice(0, max);
}

/** The highlighted suggestion after an arrow key: wraps around; -1 when there are none. */
export function moveHighlight(current: number, delta: number, count: number): number {
  if (count === 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return (((current + delta) % count) + count) % count;
}
