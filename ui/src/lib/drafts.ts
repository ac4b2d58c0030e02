// Drafts kept on this machine while they are written: saved every few seconds and on
// every close, restored at the next start, so closing the window or a crash never loses
// one. A draft leaves here only once the outbox holds it (queued) or the user discards it.

import type { Draft } from "./bindings";

export type SavedDraft = {
  /** Stable for the draft's life. */
  key: string;
  /** The account it is sent from. */
  account: string;
  draft: Draft;
  /** Milliseconds since the epoch. */
  savedAt: number;
};

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const STORE_KEY = "courriel.drafts";

/** How often an open compose window saves. */
export const AUTOSAVE_MS = 3000;

export class DraftStore {
  #kv: KeyValue;

  constructor(kv: KeyValue) {
    this.#kv = kv;
  }

  all(): SavedDraft[] {
    try {
      const parsed: unknown = JSON.parse(this.#kv.getItem(STORE_KEY) ?? "[]");
      return Array.isArray(parsed) ? (parsed as SavedDraft[]) : [];
    } catch {
      return [];
    }
  }

  save(saved: SavedDraft): void {
    const rest = this.all().filter((d) => d.key !== saved.key);
    this.#kv.setItem(STORE_KEY, JSON.stringify([...rest, saved]));
  }

  remove(key: string): void {
    this.#kv.setItem(STORE_KEY, JSON.stringify(this.all().filter((d) => d.key !== key)));
  }

  /** The most recently saved draft, to reopen at start-up. */
  latest(): SavedDraft | null {
    return this.all().reduce<SavedDraft | null>((a, d) => (a === null || d.savedAt > a.savedAt ? d : a), null);
  }
}

/** Whether a draft has anything worth keeping. */
export function isBlank(d: Draft): boolean {
  return d.to.length === 0 && d.cc.length === 0 && d.subject.trim() === "" && d.body.trim() === "" && d.attachments.length === 0;
}
