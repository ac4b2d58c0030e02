// The message list's rows, fetched by the screenful. A list is its ids (100,000 numbers
// cost under a megabyte); the summaries are asked for as rows come into view and only a
// few thousand are kept. Holding every summary of a big mailbox cost the web process
// about 300 MB and the shell 120 MB (README, "make bench-app").
import type { MessageSummary } from "./bindings";

/** How many summaries stay cached: many screenfuls, a small part of a big folder. */
export const KEEP = 3_000;

export class RowCache {
  private rows = new Map<number, MessageSummary>();
  /** Ids whose summary was read since the last `invalidate` (the others are shown, but asked again). */
  private fresh = new Set<number>();
  private asked = new Set<number>();

  constructor(
    private readonly fetch: (ids: number[]) => Promise<MessageSummary[]>,
    private readonly changed: () => void,
    private readonly keep = KEEP,
  ) {}

  get(id: number): MessageSummary | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Summaries that arrived some other way (the first page, search results). */
  put(list: MessageSummary[]): void {
    for (const m of list) {
      this.rows.delete(m.id); // re-inserted: the newest in the eviction order
      this.rows.set(m.id, m);
      this.fresh.add(m.id);
    }
    this.changed();
  }

  /** Change a cached summary in place (read on open), without asking the engine. */
  update(id: number, change: Partial<MessageSummary>): void {
    const m = this.rows.get(id);
    if (!m) return;
    this.rows.set(id, { ...m, ...change });
    this.changed();
  }

  /** The mail changed (a sync, an action): every row is asked again when next in view. */
  invalidate(): void {
    this.fresh.clear();
  }

  /**
   * Make sure the summaries of `ids` (the rows in and around view) are here: ask for
   * those missing or stale, once each, then drop the oldest beyond `keep` that are not
   * among `ids`.
   */
  async want(ids: number[]): Promise<void> {
    const missing = ids.filter((id) => !this.fresh.has(id) && !this.asked.has(id));
    if (missing.length === 0) return;
    for (const id of missing) this.asked.add(id);
    try {
      const got = await this.fetch(missing);
      this.put(got);
      // Asked for and not returned: gone from the cache (moved, deleted) since the ids were read.
      const returned = new Set(got.map((m) => m.id));
      for (const id of missing) if (!returned.has(id)) this.rows.delete(id);
      this.evict(new Set(ids));
    } finally {
      for (const id of missing) this.asked.delete(id);
    }
  }

  private evict(keepIds: Set<number>): void {
    let over = this.rows.size - this.keep;
    for (const id of this.rows.keys()) {
      if (over <= 0) break;
      if (keepIds.has(id)) continue;
      this.rows.delete(id);
      this.fresh.delete(id);
      over--;
    }
  }
}
