// The message being written (Compose.svelte is its window) and what happens around it:
// Send queues it with the undo window counting down in the toast, Undo gives the draft
// back, and mailto: links wait their turn, since one open message is never replaced by
// a link.
import * as backend from "./backend";
import type { Account, Draft, LocalDraft, OutboxItem } from "./bindings";
import { BackendError } from "./errors";
import { t } from "./i18n";
import type { Toaster } from "./toast.svelte";

/** What the compose window opens with; a new `key` is a new window. */
export type Composing = { initial: Draft; account: string; key: string };

export function blankDraft(): Draft {
  return { from: null, to: [], cc: [], bcc: [], subject: "", body: "", html: null, attachments: [], inReplyTo: null, references: [] };
}

export class Composer {
  /** The open compose window, or null. */
  current = $state<Composing | null>(null);
  /** Seconds a sent message waits in the outbox, to be taken back (Settings). */
  undoDelay = $state(5);
  /** mailto: links taken from the shell, waiting for compose to be free. */
  waiting = $state.raw<Draft[]>([]);
  /** Links are opened once the draft saved at the last quit is back. */
  ready = $state(false);

  constructor(
    private readonly accounts: () => Account[],
    private readonly toaster: Toaster,
    /** The outbox changed here (queued, withdrawn). */
    private readonly queued: () => void,
  ) {}

  open(initial: Draft, account?: string): void {
    this.current = { initial, account: account ?? this.accounts()[0]?.email ?? "", key: `draft-${Date.now()}` };
  }

  /** A draft saved earlier (at the last quit, or one from a Drafts folder), under its own key. */
  resume(saved: LocalDraft): void {
    this.current = { initial: saved.draft, account: saved.accountEmail, key: saved.key };
  }

  close(): void {
    this.current = null;
  }

  /** A message of the outbox back into compose (Edit on a failed one). */
  async reopen(item: OutboxItem): Promise<void> {
    this.open(await backend.outboxDraft(item.report.outboxId), item.accountEmail);
  }

  /** Queues the draft: held for the undo window (or until `sendAt`, unix seconds). */
  async send(account: string, draft: Draft, sendAt: number | null): Promise<void> {
    const report = await backend.queue(account, draft, this.undoDelay, sendAt);
    this.current = null;
    this.queued();
    if (sendAt !== null) return this.toaster.show({ text: t("sentQueued") });
    this.toaster.countdown(
      this.undoDelay,
      (secs) => t("sending", { secs }),
      t("sentQueued"),
      () => void this.#undo(report.outboxId, draft, account),
    );
  }

  async #undo(outboxId: number, draft: Draft, account: string): Promise<void> {
    try {
      await backend.undoSend(outboxId);
      this.toaster.show({ text: t("undone") });
      this.open(draft, account);
      this.queued();
    } catch (reason) {
      this.toaster.show({ text: BackendError.from(reason).message });
    }
  }

  /** The links the shell received since last asked; said to wait while compose is open. */
  async takeMailtos(): Promise<void> {
    const got = await backend.takeMailto().catch(() => []);
    if (got.length === 0) return;
    if (this.current) this.toaster.show({ text: t("mailtoWaiting") });
    this.waiting = [...this.waiting, ...got];
  }

  /**
   * The next waiting link into compose, when compose is free and there is an account to
   * send from. Run in an effect (App.svelte): it follows what it reads.
   */
  openWaiting(): void {
    if (!this.ready || this.current || this.accounts().length === 0 || this.waiting.length === 0) return;
    const [next, ...rest] = this.waiting;
    this.waiting = rest;
    if (this.toaster.current?.text === t("mailtoWaiting")) this.toaster.show(null);
    this.open(next!);
  }
}
