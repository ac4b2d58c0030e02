import { describe, expect, it } from "vitest";
import { doneWords, planWords } from "./unsubscribe";

describe("unsubscribe", () => {
  it("says which way it will go before, and what was done after", () => {
    const oneClick = { kind: "oneClick" as const, target: "https://lists.example/u", host: "lists.example" };
    expect(planWords(oneClick, "en")).toBe("One click tells lists.example to stop sending this list. Nothing opens.");
    const mail = { kind: "mail" as const, target: "mailto:leave@lists.example", host: "leave@lists.example" };
    expect(planWords(mail, "en")).toContain("leave@lists.example");
    expect(planWords(mail, "en")).toContain("Outbox");
    const page = { kind: "page" as const, target: "https://lists.example/manage", host: "lists.example" };
    expect(planWords(page, "fr")).toContain("navigateur");
    expect(doneWords({ plan: oneClick, status: 200, outboxId: null }, "en")).toBe("Unsubscribed: lists.example took the request.");
    expect(doneWords({ plan: mail, status: null, outboxId: 3 }, "en")).toContain("Outbox");
  });
});
