import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const backend = vi.hoisted(() => ({ actMany: vi.fn(), actOnConversations: vi.fn(), undo: vi.fn(), summaries: vi.fn() }));
vi.mock("../lib/backend", () => backend);

import { t } from "../lib/i18n";
import { Toaster } from "../lib/toast.svelte";
import { act, describe as say, leave, moves, Picking, UNDO_SECONDS } from "./bulk.svelte";
import { MailboxState } from "./mailbox.svelte";

const moved = (id: number) => ({ id, from: "INBOX", keyword: null });

describe("bulk actions", () => {
  let mailbox: MailboxState;
  let toaster: Toaster;
  let refresh: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    vi.useFakeTimers();
    for (const f of Object.values(backend)) f.mockReset();
    mailbox = new MailboxState();
    mailbox.ids = [1, 2, 3, 4, 5];
    toaster = new Toaster();
    refresh = vi.fn().mockResolvedValue(undefined);
  });
  afterEach(() => vi.useRealTimers());

  it("names each action for the engine and the toast", () => {
    expect(say("archive", 3)).toEqual({ action: { kind: "archive" }, done: t("didArchive", { count: 3 }) });
    expect(say("read", 2).action).toEqual({ kind: "seen", value: true });
    expect(say("notJunk", 1).action).toEqual({ kind: "notJunk" });
    expect(say({ move: "INBOX/Work", shown: "Work" }, 2)).toEqual({
      action: { kind: "move", value: "INBOX/Work" },
      done: t("didMove", { count: 2, folder: "Work" }),
    });
    expect([moves("junk"), moves("flag"), moves({ move: "X", shown: "X" })]).toEqual([true, false, true]);
  });

  it("rows that leave take the open one's place to the next row left", () => {
    const list = { ids: [1, 2, 3, 4, 5], selectedId: 2 as number | null };
    leave(list, [2, 3]);
    expect(list).toEqual({ ids: [1, 4, 5], selectedId: 4 });
    leave(list, [4, 5]);
    expect(list).toEqual({ ids: [1], selectedId: 1 });
    leave(list, [7]);
    expect(list.selectedId).toBe(1);
  });

  it("archives all at once, one call, then offers Undo for a few seconds, once", async () => {
    backend.actOnConversations.mockResolvedValue({ changed: 3, replayed: 3, undo: [1, 3, 5].map(moved) });
    backend.undo.mockResolvedValue(3);
    await act({ mailbox, toaster, refresh }, [1, 3, 5], "archive");
    expect(backend.actOnConversations).toHaveBeenCalledTimes(1);
    expect(backend.actOnConversations).toHaveBeenCalledWith([1, 3, 5], { kind: "archive" });
    expect(mailbox.ids).toEqual([2, 4]);
    expect(toaster.current).toMatchObject({ text: t("didArchive", { count: 3 }), secs: UNDO_SECONDS });
    const undo = toaster.current!.undo!;
    undo();
    undo(); // the button and z: one undo
    await vi.advanceTimersByTimeAsync(0);
    expect(backend.undo).toHaveBeenCalledTimes(1);
    expect(backend.undo).toHaveBeenCalledWith([1, 3, 5].map(moved));
    expect(toaster.current?.text).toBe(t("didUndo", { count: 3 }));
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it("a flag change keeps the rows and offers no Undo", async () => {
    backend.actOnConversations.mockResolvedValue({ changed: 2, replayed: 2, undo: [] });
    await act({ mailbox, toaster, refresh }, [2, 4], "read");
    expect(mailbox.ids).toEqual([1, 2, 3, 4, 5]);
    expect(toaster.current).toEqual({ text: t("didRead", { count: 2 }) });
  });

  it("a refusal shows the error and reads the list again", async () => {
    backend.actOnConversations.mockRejectedValue({ kind: "notFound", message: "no message 9 in the cache" });
    await act({ mailbox, toaster, refresh }, [9], "delete");
    expect(mailbox.error?.kind).toBe("notFound");
    expect(refresh).toHaveBeenCalled();
  });

  it("on grouped rows a move or read state takes each conversation, a star the row's message", async () => {
    backend.actOnConversations.mockResolvedValue({ changed: 5, replayed: 5, undo: [1, 6, 7, 3, 8].map(moved) });
    await act({ mailbox, toaster, refresh }, [1, 3], "archive");
    expect(backend.actOnConversations).toHaveBeenCalledWith([1, 3], { kind: "archive" });
    expect(toaster.current?.text).toBe(t("didArchive", { count: 5 }));
    backend.actMany.mockResolvedValue({ changed: 1, replayed: 1, undo: [] });
    await act({ mailbox, toaster, refresh }, [2], "flag");
    expect(backend.actMany).toHaveBeenCalledWith([2], { kind: "flagged", value: true });
    expect(backend.actOnConversations).toHaveBeenCalledTimes(1);
  });

  it("Picking follows the list's clicks and keys", () => {
    const picking = new Picking();
    picking.click([1, 2, 3, 4], 1, 3, { ctrl: false, shift: true });
    expect(picking.inOrder([1, 2, 3, 4])).toEqual([1, 2, 3]);
    picking.toggle(2);
    expect(picking.size).toBe(2);
    picking.all([1, 2, 3, 4]);
    expect(picking.has(4)).toBe(true);
    picking.clear();
    expect(picking.size).toBe(0);
  });
});
