import { describe, expect, it } from "vitest";
import type { MessageSummary } from "./bindings";
import { BackendError } from "./errors";
import { Inbox } from "./inbox.svelte";

function summary(id: number, seen: boolean): MessageSummary {
  return {
    id,
    accountId: 1,
    accountEmail: "bob@example.test",
    folder: "INBOX",
    uid: id,
    fromName: null,
    fromAddr: "alice@example.test",
    subject: `Message ${id}`,
    date: 1_710_000_000 + id,
    messageId: null,
    seen,
    flagged: false,
    preview: "",
    threadId: id,
    attachments: 0,
  };
}

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("Inbox", () => {
  it("starts empty and not loaded", () => {
    const inbox = new Inbox(() => Promise.resolve([]));
    expect(inbox.loaded).toBe(false);
    expect(inbox.loading).toBe(false);
    expect(inbox.messages).toEqual([]);
  });

  it("is loading while a load runs, then holds the messages and the unread count", async () => {
    const pending = deferred<MessageSummary[]>();
    const inbox = new Inbox(() => pending.promise);
    const done = inbox.refresh();
    expect(inbox.loading).toBe(true);
    pending.resolve([summary(1, false), summary(2, true), summary(3, false)]);
    await done;
    expect(inbox.loading).toBe(false);
    expect(inbox.loaded).toBe(true);
    expect(inbox.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(inbox.unread).toBe(2);
  });

  it("keeps the previous list when a refresh fails, and clears the error on success", async () => {
    let fail = false;
    const inbox = new Inbox(() =>
      fail
        ? Promise.reject({ kind: "network", message: "connection refused" })
        : Promise.resolve([summary(1, true)]),
    );
    await inbox.refresh();
    fail = true;
    await inbox.refresh();
    expect(inbox.error).toBeInstanceOf(BackendError);
    expect(inbox.error?.kind).toBe("network");
    expect(inbox.messages).toHaveLength(1);
    fail = false;
    await inbox.refresh();
    expect(inbox.error).toBeNull();
  });

  it("lets the last refresh win when loads overlap", async () => {
    const first = deferred<MessageSummary[]>();
    const second = deferred<MessageSummary[]>();
    const queue = [first, second];
    const inbox = new Inbox(() => queue.shift()!.promise);
    const a = inbox.refresh();
    const b = inbox.refresh();
    second.resolve([summary(2, true)]);
    await b;
    first.resolve([summary(1, true)]);
    await a;
    expect(inbox.messages.map((m) => m.id)).toEqual([2]);
    expect(inbox.loading).toBe(false);
  });
});
