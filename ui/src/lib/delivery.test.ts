import { describe, expect, it } from "vitest";
import type { DeliveryFate } from "./bindings";
import { durationWords, fateLine } from "./delivery";

const fate = (over: Partial<DeliveryFate>): DeliveryFate => ({
  address: "bob@example.org",
  action: "failed",
  status: "5.2.2",
  remoteMta: null,
  diagnostic: "552 5.2.2 Mailbox full",
  reportingMta: "mail.example.test",
  reportedAt: 0,
  afterAccepted: 7_300,
  headline: { en: "", fr: "" },
  explanation: { en: "full", fr: "pleine" },
  reportId: 9,
  ...over,
});

describe("a recipient's later fate", () => {
  it("says when it bounced, in both languages", () => {
    expect(fateLine("en", fate({}))).toBe("bob@example.org: bounced 2 hours after it was accepted, 5.2.2");
    expect(fateLine("fr", fate({}))).toBe("bob@example.org : rejeté 2 heures après avoir été accepté, 5.2.2");
  });
  it("names the server still trying for a delay, and leaves out an unknown time", () => {
    const delayed = fate({ action: "delayed", afterAccepted: null });
    expect(fateLine("en", delayed)).toBe("bob@example.org: delayed, still trying (reported by mail.example.test)");
  });
  it("words durations", () => {
    expect(durationWords("en", 40)).toBe("40 seconds");
    expect(durationWords("en", 600)).toBe("10 minutes");
    expect(durationWords("fr", 200_000)).toBe("2 jours");
  });
});
