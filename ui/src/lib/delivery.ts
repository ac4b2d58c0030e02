// A recipient's later fate (a delivery report read after "accepted") as one line in the
// user's language: "bob@…: bounced 2 hours after it was accepted, 5.2.2".
import type { DeliveryFate, Words } from "./bindings";
import { translate, type Lang } from "./i18n";

/** "40 seconds", "3 minutes", "2 hours", "2 days". */
export function durationWords(language: Lang, seconds: number): string {
  if (seconds >= 172_800) return translate(language, "days", { n: Math.floor(seconds / 86_400) });
  if (seconds >= 7_200) return translate(language, "hours", { n: Math.floor(seconds / 3_600) });
  if (seconds >= 120) return translate(language, "minutes", { n: Math.floor(seconds / 60) });
  return translate(language, "seconds", { n: Math.max(0, Math.floor(seconds)) });
}

export function fateLine(language: Lang, fate: DeliveryFate): string {
  const after =
    fate.afterAccepted === null ? "" : translate(language, "fateAfter", { duration: durationWords(language, fate.afterAccepted) });
  if (fate.action === "failed") {
    return translate(language, "fateFailed", { address: fate.address, after, status: fate.status ?? "?" });
  }
  if (fate.action === "delayed") {
    const by = fate.reportingMta ? translate(language, "fateBy", { server: fate.reportingMta }) : "";
    return translate(language, "fateDelayed", { address: fate.address, after, by });
  }
  return translate(language, "fateDelivered", { address: fate.address, after });
}

export function inLanguage(language: Lang, words: Words): string {
  return language === "fr" ? words.fr : words.en;
}
