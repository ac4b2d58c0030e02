import { describe, expect, it } from "vitest";
import type { MessageSummary } from "./bindings";
import { RowCache } from "./rows";

function summary(id: number): MessageSummary {
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
    seen: false,
    flagged: false,
    preview: "",
    threadId: id,
    attachments: 0,
  };
}

/** An engine whose cache holds `present`; records what it was asked for. */
function engine(present: Set<number>) {
  const asked: number[][] = [];
  const fetch = (ids: number[]) => {
    asked.push(ids);
    return Promise.resolve(ids.filter((id) => present.has(id)).map(summary));
  };
  return { asked, fetch };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("RowCache", () => {
  it("asks only for the rows it does not have, once", async () => {
    const e = engine(new Set(range(0, 100)));
    let changes = 0;
    const cache = new RowCache(e.fetch, () => changes++);
    await cache.want(range(0, 10));
    await cache.want(range(5, 15));
    expect(e.asked).toEqual([range(0, 10), range(10, 15)]);
    expect(cache.get(12)?.subject).toBe("Message 12");
    expect(changes).toBeGreaterThan(0);
  });

  it("does not ask twice for rows already on their way", async () => {
    const e = engine(new Set(range(0, 10)));
    const cache = new RowCache(e.fetch, () => {});
    await Promise.all([cache.want(range(0, 10)), cache.want(range(0, 10))]);
    expect(e.asked).toEqual([range(0, 10)]);
  });

  it("keeps at most `keep` rows, never those in view", async () => {
    const e = engine(new Set(range(0, 1000)));
    const cache = new RowCache(e.fetch, () => {}, 50);
    await cache.want(range(0, 40));
    await cache.want(range(500, 540));
    expect(cache.size).toBe(50);
    for (const id of range(500, 540)) expect(cache.get(id)).toBeDefined();
    expect(cache.get(0)).toBeUndefined(); // the oldest went first
    expect(cache.get(39)).toBeDefined();
  });

  it("after invalidate shows the old rows and asks for them again", async () => {
    const e = engine(new Set(range(0, 10)));
    const cache = new RowCache(e.fetch, () => {});
    await cache.want(range(0, 10));
    cache.invalidate();
    expect(cache.get(3)).toBeDefined();
    await cache.want(range(0, 10));
    expect(e.asked).toEqual([range(0, 10), range(0, 10)]);
  });

  it("drops a row the engine no longer has", async () => {
    const present = new Set(range(0, 10));
    const e = engine(present);
    const cache = new RowCache(e.fetch, () => {});
    await cache.want(range(0, 10));
    present.delete(4);
    cache.invalidate();
    await cache.want(range(0, 10));
    expect(cache.get(4)).toBeUndefined();
  });

  it("takes rows handed in and updates one in place", async () => {
    const e = engine(new Set());
    const cache = new RowCache(e.fetch, () => {});
    cache.put([summary(7)]);
    cache.update(7, { seen: true });
    expect(cache.get(7)?.seen).toBe(true);
    await cache.want([7]);
    expect(e.asked).toEqual([]);
  });

  it("asks again after a failed fetch", async () => {
    let fail = true;
    const asked: number[][] = [];
    const cache = new RowCache(
      (ids) => {
        asked.push(ids);
        return fail ? Promise.reject(new Error("offline")) : Promise.resolve(ids.map(summary));
      },
      () => {},
    );
    await expect(cache.want([1, 2])).rejects.toThrow("offline");
    fail = false;
    await cache.want([1, 2]);
    expect(asked).toEqual([[1, 2], [1, 2]]);
    expect(cache.get(2)).toBeDefined();
  });
});
