import { describe, expect, it } from "vitest";
import type { MessageSummary } from "./bindings";
import { PREVIEW_CHARS, previewLine, rowView, seenChange, starChange, starred } from "./listrow";

function message(change: Partial<MessageSummary> = {}): MessageSummary {
  return {
    id: 7,
    accountId: 1,
    accountEmail: "bob@example.test",
    folder: "INBOX",
    uid: 7,
    fromName: "Zoé",
    fromAddr: "zoe@example.test",
    subject: "Budget",
    date: 1_710_000_000,
    messageId: null,
    seen: true,
    flagged: false,
    preview: "",
    threadId: 3,
    attachments: 0,
    ...change,
  };
}

const conversation = { count: 3, unread: 0, flagged: false, attachments: false, senders: ["Zoé", "max@example.test"] };

describe("rowView", () => {
  it("shows a message alone with its own marks", () => {
    const v = rowView(message({ seen: false, flagged: true, attachments: 2, fromName: null }));
    expect(v).toEqual({ unread: true, flagged: true, attachment: true, count: 1, from: "zoe@example.test", preview: "" });
  });

  it("shows a conversation unread, starred, with an attachment if any of its messages is", () => {
    const v = rowView(
      message({ conversation: { ...conversation, unread: 1, flagged: true, attachments: true } }),
    );
    expect(v).toMatchObject({ unread: true, flagged: true, attachment: true, count: 3, from: "Zoé, max@example.test" });
    expect(rowView(message({ conversation }))).toMatchObject({ unread: false, flagged: false, attachment: false });
  });
});

describe("previewLine", () => {
  it("is one line of text: breaks, tabs and bidi overrides become single spaces", () => {
    expect(previewLine("Hello\r\n\r\n\tthere\u202e  friend\u0000!")).toBe("Hello there friend !");
  });

  it("keeps markup as the text it is (the row never renders it) and cuts a hostile length", () => {
    expect(previewLine("<b>bold</b> <img src=x onerror=alert(1)>")).toBe("<b>bold</b> <img src=x onerror=alert(1)>");
    expect(previewLine("word ".repeat(10_000))).toHaveLength(PREVIEW_CHARS);
  });
});

describe("starChange", () => {
  const none = () => Promise.reject(new Error("not asked"));

  it("flags or unflags a plain row's message", async () => {
    expect(await starChange(message(), none)).toEqual({ ids: [7], flagged: true });
    expect(await starChange(message({ flagged: true }), none)).toEqual({ ids: [7], flagged: false });
  });

  it("stars a conversation on its newest message", async () => {
    expect(await starChange(message({ conversation }), none)).toEqual({ ids: [7], flagged: true });
  });

  it("unstars every starred message of the conversation in this folder", async () => {
    const thread = (id: number) => {
      expect(id).toBe(3);
      return Promise.resolve([
        message({ id: 1, flagged: true }),
        message({ id: 2, flagged: true, folder: "Sent" }),
        message({ id: 5 }),
        message({ id: 6, flagged: true }),
        message(),
      ]);
    };
    const m = message({ conversation: { ...conversation, flagged: true } });
    expect(await starChange(m, thread)).toEqual({ ids: [7, 1, 6], flagged: false });
  });

  it("shows the change on the row at once, conversation included", () => {
    expect(starred(message(), true)).toEqual({ flagged: true });
    expect(starred(message({ conversation }), true)).toEqual({ flagged: true, conversation: { ...conversation, flagged: true } });
  });
});

describe("seenChange", () => {
  it("reads the row's message and takes it off its conversation's unread", () => {
    expect(seenChange(message({ seen: false }))).toEqual({ seen: true });
    const m = message({ seen: false, conversation: { ...conversation, unread: 2 } });
    expect(seenChange(m)).toEqual({ seen: true, conversation: { ...conversation, unread: 1 } });
    expect(rowView({ ...m, ...seenChange({ ...m, conversation: { ...conversation, unread: 1 } }) }).unread).toBe(false);
  });
});
