import { describe, expect, it } from "vitest";
import { formatFullDate, formatListDate, isRecent, isoDate, senderLabel, subjectLabel } from "./format";

const secs = (iso: string): number => Date.parse(iso) / 1000;
const utcGB = { locale: "en-GB", timeZone: "UTC" };

describe("formatListDate", () => {
  const now = new Date("2024-03-20T15:30:00Z");

  it("shows the time for a message from today", () => {
    expect(formatListDate(secs("2024-03-20T09:05:00Z"), now, utcGB)).toBe("09:05");
  });

  it("treats the first second of today as today", () => {
    expect(formatListDate(secs("2024-03-20T00:00:00Z"), now, utcGB)).toBe("00:00");
  });

  it("shows day and month for yesterday", () => {
    expect(formatListDate(secs("2024-03-19T23:59:59Z"), now, utcGB)).toBe("19 Mar");
  });

  it("shows day and month earlier this year", () => {
    expect(formatListDate(secs("2024-01-02T12:00:00Z"), now, utcGB)).toBe("2 Jan");
  });

  it("adds the year for an older message", () => {
    expect(formatListDate(secs("2023-12-31T22:00:00Z"), now, utcGB)).toBe("31 Dec 2023");
    expect(formatListDate(secs("2019-03-20T10:00:00Z"), now, utcGB)).toBe("20 Mar 2019");
  });

  it("decides what 'today' is in the reader's time zone", () => {
    const now = new Date("2024-03-20T10:00:00Z"); // 19:00 in Tokyo, 06:00 in New York
    // 23:30 UTC on the 19th is already 08:30 on the 20th in Tokyo...
    const tokyo = { locale: "en-GB", timeZone: "Asia/Tokyo" };
    expect(formatListDate(secs("2024-03-19T23:30:00Z"), now, tokyo)).toBe("08:30");
    // ...and still the 19th in New York, the day before "now" there.
    const newYork = { locale: "en-GB", timeZone: "America/New_York" };
    expect(formatListDate(secs("2024-03-19T23:30:00Z"), now, newYork)).toBe("19 Mar");
  });

  it("crosses a year boundary by the local calendar", () => {
    const newYear = new Date("2024-01-01T08:00:00Z");
    expect(formatListDate(secs("2023-12-31T20:00:00Z"), newYear, utcGB)).toBe("31 Dec 2023");
    expect(formatListDate(secs("2024-01-01T01:00:00Z"), newYear, utcGB)).toBe("01:00");
  });

  it("follows the locale's conventions", () => {
    const us = { locale: "en-US", timeZone: "UTC" };
    expect(formatListDate(secs("2024-03-12T12:00:00Z"), now, us)).toBe("Mar 12");
    expect(formatListDate(secs("2022-03-12T12:00:00Z"), now, us)).toBe("Mar 12, 2022");
  });

  it("gives an empty string for a date that is not a number", () => {
    expect(formatListDate(Number.NaN, now, utcGB)).toBe("");
  });
});

describe("formatFullDate and isoDate", () => {
  it("spells out the whole date", () => {
    // ICU versions differ on the punctuation ("Tuesday, 12 March" or "Tuesday 12 March").
    const full = formatFullDate(secs("2024-03-12T09:05:00Z"), utcGB);
    expect(full).toMatch(/^Tuesday,? 12 March 2024\b/);
    expect(full).toContain("09:05");
  });

  it("renders ISO 8601 in UTC", () => {
    expect(isoDate(secs("2024-03-12T09:05:00Z"))).toBe("2024-03-12T09:05:00.000Z");
    expect(isoDate(Number.POSITIVE_INFINITY)).toBe("");
  });
});

describe("senderLabel", () => {
  it("prefers the display name", () => {
    expect(senderLabel({ fromName: "Alice Liddell", fromAddr: "alice@example.test" })).toBe(
      "Alice Liddell",
    );
  });

  it("falls back to the address when the name is missing or blank", () => {
    expect(senderLabel({ fromName: null, fromAddr: "bob@example.test" })).toBe("bob@example.test");
    expect(senderLabel({ fromName: "  ", fromAddr: "bob@example.test" })).toBe("bob@example.test");
  });

  it("says so when there is no sender at all", () => {
    expect(senderLabel({ fromName: null, fromAddr: "" })).toBe("(unknown sender)");
  });
});

describe("subjectLabel", () => {
  it("shows a subject as it is", () => {
    expect(subjectLabel("Budget 2025", "en")).toBe("Budget 2025");
  });

  it("says a message has no subject, in the user's language", () => {
    expect(subjectLabel("", "en")).toBe("(no subject)");
    expect(subjectLabel("  \t", "en")).toBe("(no subject)");
    expect(subjectLabel("", "fr")).toBe("(sans objet)");
  });
});

describe("isRecent", () => {
  it("sees the IMAP \\Recent flag in any case", () => {
    expect(isRecent(["\\Seen", "\\Recent"])).toBe(true);
    expect(isRecent(["\\RECENT"])).toBe(true);
    expect(isRecent(["\\Seen", "Recent"])).toBe(false);
    expect(isRecent([])).toBe(false);
  });
});
