import { describe, expect, it } from "vitest";
import { langFrom, TABLES, translate } from "./i18n";

describe("i18n", () => {
  it("picks French for any fr locale, English otherwise", () => {
    expect(langFrom("fr-CA")).toBe("fr");
    expect(langFrom("FR")).toBe("fr");
    expect(langFrom("de-DE")).toBe("en");
    expect(langFrom(undefined)).toBe("en");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "syncing", { folder: "INBOX", done: 5, total: 10 })).toBe("Syncing INBOX: 5 of 10");
    expect(translate("fr", "unread", { count: 3 })).toBe("3 non lus");
    expect(translate("en", "unread")).toBe("{count} unread");
  });

  it("has the same placeholders in both languages", () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(TABLES.en) as (keyof typeof TABLES.en)[]) {
      expect(names(TABLES.fr[key]), key).toEqual(names(TABLES.en[key]));
    }
  });
});
