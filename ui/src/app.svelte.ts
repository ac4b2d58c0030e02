// The window's state (App.svelte draws it): the accounts and their folders, which view is
// shown, the outbox, syncing, and the parts with their own files: the mailbox screen's
// list (screens/mailbox.svelte.ts), the message being written (composer.svelte.ts) and
// the toast (toast.svelte.ts). Also start-up and the shell's events.
import * as backend from "./lib/backend";
import type { Account, Folder, MessageDetail, MessageSummary, OutboxItem, SyncProgress } from "./lib/bindings";
import { blankDraft, Composer } from "./lib/composer.svelte";
import { saveAllBeforeClose } from "./lib/drafts";
import { BackendError } from "./lib/errors";
import { lang } from "./lib/i18n";
import { replyDraft, type ReplyMode } from "./lib/quote";
import type { Shortcut } from "./lib/shortcuts";
import { Toaster } from "./lib/toast.svelte";
import type { View } from "./lib/view";
import { act as bulkAct, type BulkKind, Picking } from "./screens/bulk.svelte";
import { isListing, MailboxState } from "./screens/mailbox.svelte";

export type MessageActionKind = ReplyMode | "archive" | "delete" | "edit";

/** Outbox states that still need something to happen (counted in the sidebar). */
const PENDING = ["queued", "sending", "failed", "uncertain"];
/** Mail-changed events come in bursts (one per folder and account): one refresh for them. */
const REFRESH_AFTER_MS = 300;

export class AppState {
  accounts = $state.raw<Account[]>([]);
  folders = $state.raw<Record<string, Folder[]>>({});
  view = $state<View>({ kind: "inbox" });
  outboxItems = $state.raw<OutboxItem[]>([]);
  /** Each account being synced by hand (or at start), and how far it is. */
  progress = $state.raw<Record<string, SyncProgress>>({});
  /** The account whose sign-in is being fixed (the dialog), or null. */
  signin = $state<Account | null>(null);
  /** The shortcuts dialog. */
  help = $state(false);
  readonly mailbox = new MailboxState();
  /** The rows picked for a bulk action (screens/bulk.svelte.ts). */
  readonly picking = new Picking();
  readonly toaster = new Toaster();
  readonly composer = new Composer(
    () => this.accounts,
    this.toaster,
    () => void this.loadOutbox(),
  );

  unread = $derived(
    Object.values(this.folders)
      .flat()
      .filter((f) => f.role === "inbox")
      .reduce((n, f) => n + f.unread, 0),
  );
  pending = $derived(this.outboxItems.filter((i) => PENDING.includes(i.report.state)).length);

  // Loads overlap (events, actions, a sign-in): only the newest may set the list, or an
  // answer read before a sign-in could land after it and show "needs sign-in" again.
  #accountsAsked = 0;
  async loadAccounts(): Promise<void> {
    const asked = ++this.#accountsAsked;
    const loaded = await backend.accounts();
    if (asked !== this.#accountsAsked) return;
    this.accounts = loaded;
    await this.loadFolders();
  }

  async loadFolders(): Promise<void> {
    const next: Record<string, Folder[]> = {};
    await Promise.all(this.accounts.map(async (a) => (next[a.email] = await backend.folders(a.email).catch(() => []))));
    this.folders = next;
  }

  async loadOutbox(): Promise<void> {
    this.outboxItems = await backend.outbox(lang).catch(() => this.outboxItems);
  }

  /** Syncs one account, its progress shown while it runs. */
  async #sync(email: string): Promise<void> {
    try {
      await backend.sync(email, (p) => (this.progress = { ...this.progress, [email]: p }));
    } finally {
      const { [email]: _, ...rest } = this.progress;
      this.progress = rest;
    }
  }

  /** Every account that can sign in; its health (needs sign-in) comes back with the accounts. */
  async syncAll(): Promise<void> {
    const ready = this.accounts.filter((a) => !a.needsSignin);
    await Promise.all(ready.map((a) => this.#sync(a.email).catch(() => {})));
    await this.refreshAll();
  }

  async refreshAll(): Promise<void> {
    this.mailbox.now = new Date();
    await this.loadAccounts().catch(() => {});
    await this.mailbox.load(this.view);
  }

  show(v: View): void {
    this.view = v;
    this.picking.clear();
    this.mailbox.selectedId = null;
    if (isListing(v)) void this.mailbox.open(v);
    if (v.kind === "outbox") void this.loadOutbox();
  }

  /** Onboarding added `a`: the inbox, while its first sync comes down. */
  async added(a: Account): Promise<void> {
    await this.loadAccounts();
    this.show({ kind: "inbox" });
    try {
      await this.#sync(a.email);
    } catch (reason) {
      this.mailbox.error = BackendError.from(reason);
    }
    await this.refreshAll();
  }

  ownAddresses(): string[] {
    return this.accounts.flatMap((a) => [a.email, ...a.identities.map((i) => i.email)]);
  }

  /** Whether a message sits in its account's Drafts folder. */
  isDraft(m: MessageSummary): boolean {
    return this.folders[m.accountEmail]?.some((f) => f.name === m.folder && f.role === "drafts") ?? false;
  }

  /** The reader opened a message: if it was unread, the list and the counts follow at once. */
  markSeen(id: number): void {
    const m = this.mailbox.markSeen(id);
    if (!m) return;
    this.folders = Object.fromEntries(
      Object.entries(this.folders).map(([email, list]) => [
        email,
        list.map((f) => (m.accountEmail === email && f.name === m.folder ? { ...f, unread: Math.max(0, f.unread - 1) } : f)),
      ]),
    );
  }

  /** The reader's buttons and their keys. */
  async messageAction(action: MessageActionKind, detail: MessageDetail): Promise<void> {
    const id = detail.summary.id;
    if (action === "edit") {
      try {
        this.composer.resume(await backend.editDraft(id));
      } catch (reason) {
        this.mailbox.error = BackendError.from(reason);
      }
      void this.refreshAll(); // a draft from another client went to Trash
      return;
    }
    if (action === "archive" || action === "delete") return this.bulk(action, [id]);
    this.composer.open(replyDraft(detail, action, this.ownAddresses()), detail.summary.accountEmail);
  }

  /** `kind` on `ids` (the picked rows when not given), with Undo when they moved. */
  async bulk(kind: BulkKind, ids?: number[]): Promise<void> {
    const chosen = ids ?? this.picking.inOrder(this.mailbox.ids);
    if (!ids) this.picking.clear();
    await bulkAct({ mailbox: this.mailbox, toaster: this.toaster, refresh: () => this.refreshAll() }, chosen, kind);
  }

  /** x, Ctrl+A, z, and e/#/! on the picked rows (null: not a picking key). */
  #pickingKey(action: Shortcut): boolean | null {
    const open = this.mailbox.selectedId;
    switch (action) {
      case "toggle":
        if (open !== null) this.picking.toggle(open);
        return true;
      case "pickAll":
        if (isListing(this.view)) this.picking.all(this.mailbox.ids);
        return true;
      case "undo":
        if (this.toaster.current?.secs) this.toaster.current.undo?.();
        return true;
      case "archive":
      case "delete":
      case "junk":
        if (this.picking.size > 0) void this.bulk(action);
        else if (action === "junk" && open !== null) void this.bulk("junk", [open]);
        else return null;
        return true;
      default:
        return null;
    }
  }

  /** A keyboard shortcut, but "search" (the box is the screen's). */
  shortcut(action: Exclude<Shortcut, "search">): void {
    if (this.#pickingKey(action)) return;
    switch (action) {
      case "next":
      case "previous":
        if (isListing(this.view)) this.mailbox.move(action);
        return;
      case "compose":
        return this.composer.open(blankDraft());
      case "help":
        this.help = true;
        return;
      case "quit":
        void backend.quit();
        return;
      case "print":
        // The print stylesheet keeps the reader only: nothing to print without a message.
        if (isListing(this.view) && this.mailbox.selectedId !== null) void backend.print().catch(() => {});
        return;
      case "toggle":
      case "pickAll":
      case "undo":
      case "junk":
        return; // #pickingKey's
      case "star": {
        // The open row's star (a conversation's, when the list groups them).
        const m = this.mailbox.selectedId === null ? undefined : this.mailbox.rows.get(this.mailbox.selectedId);
        if (m) void this.mailbox.star(m).catch((reason) => (this.mailbox.error = BackendError.from(reason)));
        return;
      }
      default: {
        const id = this.mailbox.selectedId;
        if (id === null) return;
        void backend.show(id).then((d) => this.messageAction(action === "delete" ? "delete" : action, d));
      }
    }
  }

  /** Start-up, then the shell's events; returns what stops listening. */
  start(): () => void {
    void this.#open();
    return this.#listen();
  }

  async #open(): Promise<void> {
    // The inbox's first rows are asked for with the accounts, not after them: one round
    // trip less before the first paint (with no account, the empty list is not shown).
    const listed = this.mailbox.load(this.view);
    try {
      this.accounts = await backend.accounts();
    } catch (reason) {
      this.mailbox.error = BackendError.from(reason);
    }
    if (this.accounts.length === 0) this.view = { kind: "onboarding" };
    else {
      // The first rows come first: the folders and their counts (index reads, slow
      // while the file is not in the OS cache yet) wait for them, as does the rest.
      await listed;
      void this.loadFolders();
      void this.loadOutbox();
      const [saved] = await backend.drafts().catch(() => []);
      if (saved) this.composer.resume(saved);
      void this.syncAll();
    }
    this.composer.ready = true;
    void this.composer.takeMailtos();
  }

  #listen(): () => void {
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    const unlisten = [
      backend.onMailChanged(() => {
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void this.refreshAll(), REFRESH_AFTER_MS);
      }),
      backend.onOutboxChanged(() => void this.loadOutbox()),
      // Closing or quitting: the open draft is saved first, however recent the typing.
      backend.onClosing(() => void saveAllBeforeClose().finally(() => void backend.readyToClose())),
      backend.onMailto(() => {
        if (this.composer.ready) void this.composer.takeMailtos();
      }),
      // A new-mail notification was clicked: its message in the inbox (or the inbox).
      backend.onOpenMessage((id) => {
        this.show({ kind: "inbox" });
        this.mailbox.selectedId = id;
      }),
    ];
    const clock = setInterval(() => (this.mailbox.now = new Date()), 60_000);
    return () => {
      clearInterval(clock);
      for (const u of unlisten) void u.then((f) => f());
    };
  }
}
