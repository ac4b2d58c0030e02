// The rows picked in the list (lib/selection.ts) and the actions on them (BulkBar.svelte
// draws the bar): one backend call for all of them, which the engine sends as one command
// per folder. What moves (archive, delete, junk, move) leaves the list at once and the
// toast offers Undo for a few seconds (and `z`): the engine drops a move not sent yet or
// moves the messages back (`Engine::undo`). Flags change in place, with no Undo.
import * as backend from "../lib/backend";
import type { MessageAction, Moved } from "../lib/bindings";
import { BackendError } from "../lib/errors";
import { t } from "../lib/i18n";
import { clickPick, NOTHING_PICKED, pickAll, pickedInOrder, type Picked, togglePick } from "../lib/selection";
import type { Toaster } from "../lib/toast.svelte";
import type { MailboxState } from "./mailbox.svelte";

/** How long Undo is offered. */
export const UNDO_SECONDS = 8;

export type BulkKind =
  | "archive"
  | "delete"
  | "junk"
  | "notJunk"
  | "read"
  | "unread"
  | "flag"
  | "unflag"
  | { move: string; shown: string };

/** The engine's action for `kind`, and what the toast says once it is done. */
export function describe(kind: BulkKind, count: number): { action: MessageAction; done: string } {
  if (typeof kind === "object") return { action: { kind: "move", value: kind.move }, done: t("didMove", { count, folder: kind.shown }) };
  const table: Record<typeof kind, [MessageAction, string]> = {
    archive: [{ kind: "archive" }, "didArchive"],
    delete: [{ kind: "delete" }, "didDelete"],
    junk: [{ kind: "junk" }, "didJunk"],
    notJunk: [{ kind: "notJunk" }, "didNotJunk"],
    read: [{ kind: "seen", value: true }, "didRead"],
    unread: [{ kind: "seen", value: false }, "didUnread"],
    flag: [{ kind: "flagged", value: true }, "didFlag"],
    unflag: [{ kind: "flagged", value: false }, "didUnflag"],
  };
  const [action, key] = table[kind];
  return { action, done: t(key as "didArchive", { count }) };
}

/** Whether the rows leave the list (they change folder). */
export const moves = (kind: BulkKind): boolean => typeof kind === "object" || ["archive", "delete", "junk", "notJunk"].includes(kind);

/** The rows picked in the list on screen. */
export class Picking {
  picked = $state.raw<Picked>(NOTHING_PICKED);

  get size(): number {
    return this.picked.ids.size;
  }
  has(id: number): boolean {
    return this.picked.ids.has(id);
  }
  click(list: readonly number[], open: number | null, id: number, mods: { ctrl: boolean; shift: boolean }): void {
    this.picked = clickPick(list, this.picked, open, id, mods);
  }
  toggle(id: number): void {
    this.picked = togglePick(this.picked, id);
  }
  all(list: readonly number[]): void {
    this.picked = pickAll(list);
  }
  clear(): void {
    if (this.picked.ids.size > 0) this.picked = NOTHING_PICKED;
  }
  inOrder(list: readonly number[]): number[] {
    return pickedInOrder(list, this.picked);
  }
}

/** What the actions need from the window. */
export type BulkContext = {
  mailbox: MailboxState;
  toaster: Toaster;
  /** After a change: the folders' counts (and the list) read again. */
  refresh: () => Promise<void>;
};

/** Rows that left the list; the one open moves to the next row left, as after one archive. */
export function leave(mailbox: { ids: number[]; selectedId: number | null }, ids: readonly number[]): void {
  const gone = new Set(ids);
  const before = mailbox.ids;
  const open = mailbox.selectedId;
  mailbox.ids = before.filter((id) => !gone.has(id));
  if (open === null || !gone.has(open)) return;
  const index = before.indexOf(open);
  const stays = (id: number): boolean => !gone.has(id);
  mailbox.selectedId = before.slice(index + 1).find(stays) ?? before.slice(0, index).reverse().find(stays) ?? null;
}

/**
 * Whether `kind` on a grouped row takes its whole conversation in that folder: moves and
 * read state do, as in Gmail and Thunderbird; a star goes on the newest message alone, and
 * unstarring takes every star off (the row's star, lib/listrow.ts).
 */
export const wholeConversation = (kind: BulkKind): boolean => kind !== "flag";

/** `kind` on `ids`: at once in the list, then the engine; the toast says so, with Undo. */
export async function act(ctx: BulkContext, ids: number[], kind: BulkKind): Promise<void> {
  if (ids.length === 0) return;
  const { action } = describe(kind, ids.length);
  if (moves(kind)) leave(ctx.mailbox, ids);
  const whole = ctx.mailbox.rowsGrouped && wholeConversation(kind);
  try {
    const report = await (whole ? backend.actOnConversations : backend.actMany)(ids, action);
    // The toast counts the messages changed: a conversation's row is several.
    const { done } = describe(kind, Math.max(report.changed, ids.length));
    if (report.undo.length > 0) offerUndo(ctx, done, report.undo);
    else ctx.toaster.show({ text: done });
  } catch (reason) {
    ctx.mailbox.error = BackendError.from(reason);
  }
  await ctx.refresh();
}

function offerUndo(ctx: BulkContext, done: string, moved: Moved[]): void {
  let used = false;
  const undo = (): void => {
    if (used) return; // the button and `z` both, or twice
    used = true;
    void undoMoves(ctx, moved);
  };
  ctx.toaster.countdown(UNDO_SECONDS, () => done, done, undo);
}

async function undoMoves(ctx: BulkContext, moved: Moved[]): Promise<void> {
  try {
    const back = await backend.undo(moved);
    ctx.toaster.show({ text: t("didUndo", { count: back }) });
  } catch (reason) {
    ctx.mailbox.error = BackendError.from(reason);
  }
  await ctx.refresh();
}
