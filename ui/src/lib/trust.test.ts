import { describe, expect, it } from "vitest";
import type { TrustVerdict } from "./bindings";
import { trustLine } from "./trust";

const verdict: TrustVerdict = {
  messageId: 7,
  fromDomain: "paypa1.com",
  level: "unverified",
  source: "local",
  authservId: null,
  signedBy: null,
  dkim: "none",
  spf: "none",
  dmarc: "none",
  checks: [],
  summary: { en: "Could not verify that this came from paypa1.com", fr: "Impossible de vérifier que ce message vient de paypa1.com" },
  warnings: [
    {
      kind: "lookalikeDomain",
      imitates: "paypal.com",
      words: { en: "paypa1.com looks like paypal.com", fr: "paypa1.com ressemble à paypal.com" },
    },
  ],
  checkedAt: 0,
};

describe("the reader's sender line", () => {
  it("speaks the user's language and keeps every warning", () => {
    expect(trustLine(verdict, "en")).toEqual({
      level: "unverified",
      summary: "Could not verify that this came from paypa1.com",
      warnings: ["paypa1.com looks like paypal.com"],
    });
    const fr = trustLine(verdict, "fr");
    expect(fr.summary).toContain("Impossible de vérifier");
    expect(fr.warnings).toEqual(["paypa1.com ressemble à paypal.com"]);
  });
});
