import { describe, expect, it } from "vitest";
import type { Draft } from "./bindings";
import { DraftStore, isBlank, type KeyValue } from "./drafts";

function memory(): KeyValue {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

const draft = (subject: string): Draft => ({
  from: null,
  to: ["bob@example.test"],
  cc: [],
  bcc: [],
  subject,
  body: "hi",
  html: null,
  attachments: [],
  inReplyTo: null,
  references: [],
});

describe("DraftStore", () => {
  it("keeps one copy per key and gives back the latest", () => {
    const store = new DraftStore(memory());
    store.save({ key: "a", account: "me@x", draft: draft("one"), savedAt: 1 });
    store.save({ key: "b", account: "me@x", draft: draft("two"), savedAt: 2 });
    store.save({ key: "a", account: "me@x", draft: draft("one, edited"), savedAt: 3 });
    expect(store.all()).toHaveLength(2);
    expect(store.latest()?.draft.subject).toBe("one, edited");
    store.remove("a");
    expect(store.latest()?.key).toBe("b");
  });

  it("survives a corrupt store", () => {
    const kv = memory();
    kv.setItem("courriel.drafts", "{not json");
    expect(new DraftStore(kv).all()).toEqual([]);
  });

  it("knows a blank draft", () => {
    expect(isBlank({ ...draft(""), to: [], body: " " })).toBe(true);
    expect(isBlank(draft("x"))).toBe(false);
  });
});
