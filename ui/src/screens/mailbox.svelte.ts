// The mailbox screen's state (Mailbox.svelte draws it): the list on screen as ids, newest
// first, with the summaries read as rows come into view (rows.ts), the selection, the
// search box. Loads overlap (events, actions, typing): only the newest may set the list.
import * as backend from "../lib/backend";
import type { Folder, MessageSummary } from "../lib/bindings";
import { BackendError } from "../lib/errors";
import { t } from "../lib/i18n";
import { seenChange, starChange, starred } from "../lib/listrow";
import { RowCache } from "../lib/rows";
import { moveSelection } from "../lib/selection";
import type { View } from "../lib/view";

/** The views this screen shows. */
export type Listing = Extract<View, { kind: "inbox" | "folder" | "search" }>;

export const isListing = (v: View): v is Listing => v.kind === "inbox" || v.kind === "folder" || v.kind === "search";

/** Search results shown at most. */
export const SEARCH_LIMIT = 500;
/** A tall window's rows and then some; the rest of a list follows as ids. */
export const FIRST_PAGE = 100;

/** The list's heading: the folder (as people name it) and its account, the search, or the inbox. */
export function listTitle(view: Listing, folders: Record<string, Folder[]>): string {
  if (view.kind === "search") return t("searchResults", { query: view.query });
  if (view.kind === "inbox") return t("unifiedInbox");
  const folder = (folders[view.email] ?? []).find((f) => f.name === view.folder);
  return `${folder?.displayName ?? view.folder} · ${view.email}`;
}

/** Resolves once the frame drawn so far has been painted. */
const nextPaint = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

export class MailboxState {
  ids = $state.raw<number[]>([]);
  /** Bumped when summaries arrive or change: the list redraws the rows in view. */
  rowsVersion = $state(0);
  readonly rows = new RowCache(
    (ids) => backend.summaries(ids, this.#rowsGrouped),
    () => this.rowsVersion++,
  );
  /** One row per conversation in folders and the inbox (the groupConversations setting). */
  grouped = $state(true);
  /** Whether the list on screen is grouped (search results never are). */
  #rowsGrouped = true;
  get rowsGrouped(): boolean {
    return this.#rowsGrouped;
  }
  /** Whether `ids` (or at least the first page) belongs to the list on screen. */
  loaded = $state(false);
  loading = $state(false);
  error = $state.raw<BackendError | null>(null);
  selectedId = $state<number | null>(null);
  query = $state("");
  /** "Now" for the rows' dates, moved on every minute and at each refresh. */
  now = $state(new Date());
  /** The first inbox rows were marked painted (once per run; `make bench` times it). */
  painted = false;
  #generation = 0;

  /** Another list: nothing selected, its first rows shown before its ids arrive. */
  open(view: Listing): Promise<void> {
    this.selectedId = null;
    this.loaded = false;
    return this.load(view);
  }

  /** (Re)reads the list; any view but a folder or a search reads the inbox. */
  async load(view: View): Promise<void> {
    const mine = ++this.#generation;
    this.loading = true;
    const grouped = view.kind !== "search" && this.grouped;
    this.#rowsGrouped = grouped;
    try {
      if (view.kind === "search") {
        const found = await backend.search(view.query, SEARCH_LIMIT);
        if (mine !== this.#generation) return;
        this.rows.put(found);
        this.ids = found.map((m) => m.id);
      } else {
        this.rows.invalidate(); // a sync or an action changed the mail: rows in view are read again
        if (!this.loaded && !(await this.#firstPage(view, mine, grouped))) return;
        const all = await (view.kind === "folder"
          ? backend.folderIds(view.email, view.folder, grouped)
          : backend.inboxIds(grouped));
        if (mine !== this.#generation) return;
        this.ids = all;
      }
      this.loaded = true;
      this.error = null;
    } catch (reason) {
      if (mine === this.#generation) this.error = BackendError.from(reason);
    } finally {
      if (mine === this.#generation) this.loading = false;
    }
  }

  /**
   * A new list's first screenful at once (a cold start paints the inbox without waiting
   * for the ids of 100,000 messages), painted before the ids are asked for. Whether the
   * rest is still to read: not when this load was overtaken or the page is the list.
   */
  async #firstPage(view: View, mine: number, grouped: boolean): Promise<boolean> {
    const first = await (view.kind === "folder"
      ? backend.folderMessages(view.email, view.folder, FIRST_PAGE, grouped)
      : backend.listInbox(FIRST_PAGE, grouped));
    if (mine !== this.#generation) return false;
    this.rows.put(first);
    this.ids = first.map((m) => m.id);
    this.loaded = true;
    this.error = null;
    if (first.length < FIRST_PAGE) return false;
    await nextPaint();
    return true;
  }

  /** j/k: the next or previous message. */
  move(direction: "next" | "previous"): void {
    this.selectedId = moveSelection(this.ids, this.selectedId, direction);
  }

  /** A message archived or deleted leaves the list; the one after it is selected. */
  remove(id: number): void {
    const index = this.ids.indexOf(id);
    this.ids = this.ids.filter((other) => other !== id);
    this.selectedId = this.ids[Math.min(index, this.ids.length - 1)] ?? null;
  }

  /** The reader opened a message: its row shows it read. Returns it if it was unread. */
  markSeen(id: number): MessageSummary | undefined {
    const m = this.rows.get(id);
    if (m) this.rows.update(id, seenChange(m));
    return m && !m.seen ? m : undefined;
  }

  /** The groupConversations setting: a change reads the folder or inbox on screen again. */
  setGrouped(on: boolean, view: View): void {
    if (on === this.grouped) return;
    this.grouped = on;
    if (view.kind === "inbox" || view.kind === "folder") void this.open(view);
  }

  /** A click on a row's star: shown at once, then sent (a conversation: `starChange`). */
  async star(m: MessageSummary): Promise<void> {
    const { ids, flagged } = await starChange(m, backend.thread);
    this.rows.update(m.id, starred(m, flagged));
    // One after the other: each sends the account's queue of changes to the server.
    for (const id of ids) await backend.act(id, { kind: "flagged", value: flagged });
  }
}
