// The reader's sender line: what SPF, DKIM and DMARC (or the provider's own
// Authentication-Results) say about the From address, in the user's language. Identity,
// not a "safe" badge: a verified sender can still be a crook, an unverified one honest.

import type { TrustLevel, TrustVerdict, Words } from "./bindings";

export type Lang = "en" | "fr";

export interface TrustLine {
  level: TrustLevel;
  summary: string;
  /** Look-alike senders and imitated contacts: shown however the checks went. */
  warnings: string[];
}

export function pick(words: Words, lang: Lang): string {
  return lang === "fr" ? words.fr : words.en;
}

export function trustLine(verdict: TrustVerdict, lang: Lang): TrustLine {
  return {
    level: verdict.level,
    summary: pick(verdict.summary, lang),
    warnings: verdict.warnings.map((w) => pick(w.words, lang)),
  };
}
