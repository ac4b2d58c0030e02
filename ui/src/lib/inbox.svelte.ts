// The unified inbox as the UI holds it: the last list loaded, whether a load is running,
// and the last error. Loading is injected so this runs in tests without Tauri.

import type { MessageSummary } from "./bindings";
import { BackendError } from "./errors";

export type InboxLoader = () => Promise<MessageSummary[]>;

export class Inbox {
  /** Replaced wholesale on each load, never mutated: raw state avoids deep proxies. */
  messages = $state.raw<MessageSummary[]>([]);
  /** The last load's failure, cleared by a successful load. */
  error = $state.raw<BackendError | null>(null);
  /** A load is running. */
  loading = $state(false);
  /** At least one load has succeeded: an empty list now means an empty inbox. */
  loaded = $state(false);
  unread = $derived(this.messages.reduce((n, m) => (m.seen ? n : n + 1), 0));

  #load: InboxLoader;
  #generation = 0;

  constructor(load: InboxLoader) {
    this.#load = load;
  }

  /** Loads the list again. When loads overlap, the last one started wins. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const messages = await this.#load();
      if (generation !== this.#generation) return;
      this.messages = messages;
      this.error = null;
      this.loaded = true;
    } catch (reason) {
      if (generation !== this.#generation) return;
      this.error = BackendError.from(reason);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
