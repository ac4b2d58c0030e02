import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const backend = vi.hoisted(() => ({
  listInbox: vi.fn(),
  inboxIds: vi.fn(),
  folderMessages: vi.fn(),
  folderIds: vi.fn(),
  search: vi.fn(),
  summaries: vi.fn(),
  thread: vi.fn(),
  act: vi.fn(),
}));
vi.mock("../lib/backend", () => backend);

import type { Folder, MessageSummary } from "../lib/bindings";
import { t } from "../lib/i18n";
import { FIRST_PAGE, isListing, listTitle, MailboxState, SEARCH_LIMIT } from "./mailbox.svelte";

const summary = (id: number, seen = false): MessageSummary =>
  ({ id, accountEmail: "alice@example.test", folder: "INBOX", subject: `#${id}`, seen }) as MessageSummary;
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from - i);

describe("MailboxState", () => {
  beforeEach(() => {
    for (const f of Object.values(backend)) f.mockReset();
    vi.stubGlobal("requestAnimationFrame", (f: () => void) => setTimeout(f, 0));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows a short inbox from its first page alone", async () => {
    const mailbox = new MailboxState();
    backend.listInbox.mockResolvedValue([summary(3), summary(2)]);
    await mailbox.open({ kind: "inbox" });
    expect(backend.listInbox).toHaveBeenCalledWith(FIRST_PAGE, true);
    expect(backend.inboxIds).not.toHaveBeenCalled();
    expect(mailbox).toMatchObject({ ids: [3, 2], loaded: true, loading: false, error: null });
    expect(mailbox.rows.get(3)?.subject).toBe("#3");
  });

  it("paints a long list's first page, then takes all its ids", async () => {
    const mailbox = new MailboxState();
    backend.folderMessages.mockResolvedValue(range(1000, FIRST_PAGE).map((id) => summary(id)));
    backend.folderIds.mockResolvedValue(range(1000, 1000));
    await mailbox.open({ kind: "folder", email: "alice@example.test", folder: "Archive" });
    expect(backend.folderMessages).toHaveBeenCalledWith("alice@example.test", "Archive", FIRST_PAGE, true);
    expect(backend.folderIds).toHaveBeenCalledWith("alice@example.test", "Archive", true);
    expect(mailbox.ids).toHaveLength(1000);
  });

  it("reads only the ids again when the list is already on screen", async () => {
    const mailbox = new MailboxState();
    backend.listInbox.mockResolvedValue([summary(1)]);
    await mailbox.open({ kind: "inbox" });
    backend.inboxIds.mockResolvedValue([2, 1]);
    await mailbox.load({ kind: "inbox" });
    expect(backend.listInbox).toHaveBeenCalledOnce();
    expect(mailbox.ids).toEqual([2, 1]);
  });

  it("reads the inbox for a view that is not a list (the outbox, settings)", async () => {
    const mailbox = new MailboxState();
    backend.listInbox.mockResolvedValue([summary(1)]);
    await mailbox.load({ kind: "outbox" });
    expect(mailbox.ids).toEqual([1]);
  });

  it("searches, with a limit", async () => {
    const mailbox = new MailboxState();
    backend.search.mockResolvedValue([summary(5)]);
    await mailbox.open({ kind: "search", query: "budget" });
    expect(backend.search).toHaveBeenCalledWith("budget", SEARCH_LIMIT);
    expect(mailbox.ids).toEqual([5]);
    expect(mailbox.loaded).toBe(true);
  });

  it("lets only the newest of overlapping loads set the list", async () => {
    const mailbox = new MailboxState();
    let answerSlow: (list: MessageSummary[]) => void = () => {};
    backend.search.mockReturnValueOnce(new Promise((r) => (answerSlow = r)));
    const slow = mailbox.open({ kind: "search", query: "old" });
    backend.search.mockResolvedValueOnce([summary(9)]);
    await mailbox.open({ kind: "search", query: "new" });
    answerSlow([summary(1), summary(2)]);
    await slow;
    expect(mailbox.ids).toEqual([9]);
    expect(mailbox.loading).toBe(false);
  });

  it("keeps the failure to show it, and clears it once a load works", async () => {
    const mailbox = new MailboxState();
    backend.listInbox.mockRejectedValue({ kind: "storage", message: "database is locked" });
    await mailbox.open({ kind: "inbox" });
    expect(mailbox.error?.kind).toBe("storage");
    expect(mailbox.loaded).toBe(false);
    backend.listInbox.mockResolvedValue([summary(1)]);
    await mailbox.load({ kind: "inbox" });
    expect(mailbox.error).toBeNull();
  });

  it("selects the next message when one leaves the list, the last one at the end", () => {
    const mailbox = new MailboxState();
    mailbox.ids = [5, 4, 3];
    mailbox.remove(4);
    expect(mailbox).toMatchObject({ ids: [5, 3], selectedId: 3 });
    mailbox.remove(3);
    expect(mailbox).toMatchObject({ ids: [5], selectedId: 5 });
    mailbox.remove(5);
    expect(mailbox.selectedId).toBeNull();
  });

  it("moves the selection with j and k", () => {
    const mailbox = new MailboxState();
    mailbox.ids = [5, 4, 3];
    mailbox.move("next");
    expect(mailbox.selectedId).toBe(5);
    mailbox.move("next");
    expect(mailbox.selectedId).toBe(4);
    mailbox.move("previous");
    expect(mailbox.selectedId).toBe(5);
  });

  it("marks a row read, and says whether it was unread", () => {
    const mailbox = new MailboxState();
    mailbox.rows.put([summary(1), summary(2, true)]);
    const version = mailbox.rowsVersion;
    expect(mailbox.markSeen(1)?.id).toBe(1);
    expect(mailbox.rows.get(1)?.seen).toBe(true);
    expect(mailbox.rowsVersion).toBeGreaterThan(version);
    expect(mailbox.markSeen(1)).toBeUndefined();
    expect(mailbox.markSeen(2)).toBeUndefined();
    expect(mailbox.markSeen(99)).toBeUndefined();
  });
});

describe("MailboxState, conversations", () => {
  beforeEach(() => {
    for (const f of Object.values(backend)) f.mockReset();
    vi.stubGlobal("requestAnimationFrame", (f: () => void) => setTimeout(f, 0));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("reads folders grouped and rows with their conversation, search results flat", async () => {
    const mailbox = new MailboxState();
    backend.listInbox.mockResolvedValue([summary(1)]);
    backend.summaries.mockResolvedValue([]);
    await mailbox.open({ kind: "inbox" });
    await mailbox.rows.want([7]);
    expect(backend.summaries).toHaveBeenLastCalledWith([7], true);
    backend.search.mockResolvedValue([summary(5)]);
    await mailbox.open({ kind: "search", query: "budget" });
    mailbox.rows.invalidate();
    await mailbox.rows.want([5]);
    expect(backend.summaries).toHaveBeenLastCalledWith([5], false);
  });

  it("reads the list again, a row per message, when grouping is turned off", async () => {
    const mailbox = new MailboxState();
    backend.folderMessages.mockResolvedValue([summary(1)]);
    const view = { kind: "folder", email: "alice@example.test", folder: "INBOX" } as const;
    await mailbox.open(view);
    mailbox.setGrouped(true, view);
    expect(backend.folderMessages).toHaveBeenCalledOnce();
    mailbox.setGrouped(false, view);
    await vi.waitFor(() => expect(backend.folderMessages).toHaveBeenLastCalledWith("alice@example.test", "INBOX", FIRST_PAGE, false));
    mailbox.setGrouped(true, { kind: "search", query: "x" });
    expect(backend.folderMessages).toHaveBeenCalledTimes(2);
  });

  it("stars a row at once and sends the flag", async () => {
    const mailbox = new MailboxState();
    mailbox.rows.put([{ ...summary(3), flagged: false, fromAddr: "zoe@example.test", preview: "" }]);
    backend.act.mockResolvedValue(1);
    await mailbox.star(mailbox.rows.get(3)!);
    expect(mailbox.rows.get(3)?.flagged).toBe(true);
    expect(backend.act).toHaveBeenCalledWith(3, { kind: "flagged", value: true });
  });
});

describe("listTitle", () => {
  const folders = { "alice@example.test": [{ name: "INBOX.Archive", displayName: "Archive" } as Folder] };

  it("names the folder as people do, with its account", () => {
    expect(listTitle({ kind: "folder", email: "alice@example.test", folder: "INBOX.Archive" }, folders)).toBe(
      "Archive · alice@example.test",
    );
    expect(listTitle({ kind: "folder", email: "alice@example.test", folder: "Gone" }, folders)).toBe("Gone · alice@example.test");
  });

  it("names the inbox and a search", () => {
    expect(listTitle({ kind: "inbox" }, folders)).toBe(t("unifiedInbox"));
    expect(listTitle({ kind: "search", query: "zoe" }, folders)).toBe(t("searchResults", { query: "zoe" }));
  });

  it("knows which views are lists", () => {
    expect([{ kind: "inbox" }, { kind: "outbox" }, { kind: "settings" }].map((v) => isListing(v as never))).toEqual([true, false, false]);
  });
});
