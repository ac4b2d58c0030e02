import { describe, expect, it } from "vitest";
import type { MessageDetail } from "./bindings";
import { prefixedSubject, quoteText, replyDraft, splitAddresses } from "./quote";

const original: MessageDetail = {
  summary: {
    id: 5,
    accountId: 1,
    accountEmail: "me@example.test",
    folder: "INBOX",
    uid: 9,
    fromName: "Zoe",
    fromAddr: "zoe@example.test",
    subject: "Budget",
    date: 1_700_000_000,
    messageId: "<m2@example.test>",
    seen: true,
    flagged: false,
    preview: "",
    threadId: 3,
    attachments: 0,
  },
  to: ["me@example.test", "Yann <yann@example.test>"],
  cc: ["zoe@example.test", "xavier@example.test"],
  flags: [],
  text: "Line one\n> earlier",
  html: null,
  attachments: [],
  inReplyTo: "m1@example.test",
  references: ["<m1@example.test>"],
  listId: null,
  authResults: "",
  labels: [],
  delivery: null,
};

describe("replyDraft", () => {
  it("replies to the sender with threading headers and quoted text", () => {
    const d = replyDraft(original, "reply", ["me@example.test"]);
    expect(d.to).toEqual(["Zoe <zoe@example.test>"]);
    expect(d.cc).toEqual([]);
    expect(d.subject).toBe("Re: Budget");
    expect(d.inReplyTo).toBe("m2@example.test");
    expect(d.references).toEqual(["m1@example.test", "m2@example.test"]);
    expect(d.body).toContain("Zoe <zoe@example.test> wrote:\n> Line one\n>> earlier");
  });

  it("replies to all without the user's own address or duplicates", () => {
    const d = replyDraft(original, "replyAll", ["ME@example.test"]);
    expect(d.to).toEqual(["Zoe <zoe@example.test>", "Yann <yann@example.test>"]);
    expect(d.cc).toEqual(["xavier@example.test"]);
  });

  it("forwards with the original headers and no threading", () => {
    const d = replyDraft(original, "forward", []);
    expect(d.to).toEqual([]);
    expect(d.subject).toBe("Fwd: Budget");
    expect(d.inReplyTo).toBeNull();
    expect(d.body).toContain("From: Zoe <zoe@example.test>");
    expect(d.body).toContain("Line one");
  });
});

describe("helpers", () => {
  it("prefix subjects once", () => {
    expect(prefixedSubject("Re: x", "Re")).toBe("Re: x");
    expect(prefixedSubject("x", "Re")).toBe("Re: x");
    expect(prefixedSubject("TR: x", "Fwd")).toBe("TR: x");
  });
  it("quote and split", () => {
    expect(quoteText("a\r\nb")).toBe("> a\n> b");
    expect(splitAddresses("a@x, b@y; ,")).toEqual(["a@x", "b@y"]);
  });
});
