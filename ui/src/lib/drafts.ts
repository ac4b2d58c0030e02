// Drafts being written are saved to the engine's cache (SQLite) every few seconds and on
// close, and reopened at the next start: closing the window or a crash never loses one.
// A draft leaves once the outbox holds it (queued) or the user discards it.

import type { Draft, LocalDraft } from "./bindings";

/** How often an open compose window saves. */
export const AUTOSAVE_MS = 3000;

/** Whether a draft has anything worth keeping. */
export function isBlank(d: Draft): boolean {
  return (
    d.to.length === 0 &&
    d.cc.length === 0 &&
    d.bcc.length === 0 &&
    d.subject.trim() === "" &&
    d.body.trim() === "" &&
    d.attachments.length === 0
  );
}

/** Saves a draft only when it changed since the last save, and never a blank one. */
export class DraftSaver {
  #save: (d: LocalDraft) => Promise<void>;
  #last = "";

  constructor(save: (d: LocalDraft) => Promise<void>) {
    this.#save = save;
  }

  /** True when it saved. A failed save is retried at the next call. */
  async save(key: string, accountEmail: string, draft: Draft, now = Date.now()): Promise<boolean> {
    if (isBlank(draft)) return false;
    const fingerprint = JSON.stringify([key, accountEmail, draft]);
    if (fingerprint === this.#last) return false;
    await this.#save({ key, accountEmail, draft, savedAt: now });
    this.#last = fingerprint;
    return true;
  }
}

/** What must be saved before the window closes: each open compose adds its own save. */
const beforeClose = new Set<() => Promise<void>>();

/** Run `save` before the window closes (the app's `closing` event); returns the undo. */
export function saveBeforeClose(save: () => Promise<void>): () => void {
  beforeClose.add(save);
  return () => beforeClose.delete(save);
}

/** The window is closing: run every registered save, failed ones included (they report). */
export async function saveAllBeforeClose(): Promise<void> {
  await Promise.allSettled([...beforeClose].map((save) => save()));
}
