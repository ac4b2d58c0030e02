// A sender's avatar: initials on a colour derived from the address. Nothing is fetched
// (no Gravatar, no favicon): a request per sender would tell a tracker who reads what.
// The colour comes from the address alone, so one sender keeps one colour everywhere,
// whatever the display name says; white initials stay readable on it in both themes.

/** Up to two initials: the first letters of the name's first and last words, else of the
 * address's local part split at dots, dashes, underscores and plus signs; "?" when none of
 * them holds a letter or digit. Emoji and punctuation are skipped, never shown. */
export function initials(name: string | null | undefined, address: string | null | undefined): string {
  const fromName = firstLetters(cleanName(name ?? ""));
  if (fromName) return fromName;
  const local = (address ?? "").split("@")[0] ?? "";
  return firstLetters(local.split(/[._+-]+/)) || "?";
}

/** A display name's words, without a quoted address or comment it carries. */
function cleanName(name: string): string[] {
  const bare = name.replace(/<[^>]*>|\([^)]*\)|\S+@\S+/g, " ");
  return bare.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

function firstLetters(words: string[]): string {
  const letters = words.map((w) => w.match(/[\p{L}\p{N}]/u)?.[0]).filter((c): c is string => !!c);
  if (letters.length === 0) return "";
  const picked = letters.length === 1 ? [letters[0]] : [letters[0], letters[letters.length - 1]];
  return picked.map((c) => c.toLocaleUpperCase()).join("");
}

/** The avatar's hue (0-359) for `address`: FNV-1a of the lower-cased address, then
 * mixed (MurmurHash3's finalizer), so that every bit of the hash counts in the hue and
 * not mostly its low ones (which the test's alice, bob and dana at one domain shared:
 * three near-identical reds). */
export function hue(address: string | null | undefined): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode((address ?? "").trim().toLowerCase())) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 360;
}

/** The avatar's background: the address's hue, saturated and dark enough for white text
 * (contrast at least 4.5:1 at any hue, tested). */
export function avatarColour(address: string | null | undefined): string {
  return `hsl(${hue(address)} 50% 30%)`;
}
