import { beforeEach, describe, expect, it, vi } from "vitest";

const backend = vi.hoisted(() => ({
  accounts: vi.fn(),
  folders: vi.fn(),
  outbox: vi.fn(),
  sync: vi.fn(),
  listInbox: vi.fn(),
  inboxIds: vi.fn(),
  summaries: vi.fn(),
  act: vi.fn(),
  actMany: vi.fn(),
  actOnConversations: vi.fn(),
  undo: vi.fn(),
  editDraft: vi.fn(),
  show: vi.fn(),
}));
vi.mock("./lib/backend", () => backend);

import { AppState } from "./app.svelte";
import type { Account, Folder, MessageDetail, MessageSummary, OutboxItem, SyncProgress } from "./lib/bindings";

const account = (email: string, needsSignin: string | null = null): Account =>
  ({ email, needsSignin, identities: [{ email: `alias.${email}` }] }) as unknown as Account;
const folder = (name: string, role: string | null, unread: number): Folder => ({ name, role, unread }) as Folder;
const summary = (id: number, folderName = "INBOX", seen = false): MessageSummary =>
  ({ id, accountEmail: "alice@example.test", folder: folderName, seen, subject: "Budget" }) as MessageSummary;

describe("AppState", () => {
  beforeEach(() => {
    for (const f of Object.values(backend)) f.mockReset();
    backend.folders.mockResolvedValue([]);
    backend.outbox.mockResolvedValue([]);
    backend.listInbox.mockResolvedValue([]);
    backend.inboxIds.mockResolvedValue([]);
  });

  it("counts unread mail in the inboxes and the outbox's messages still to send", () => {
    const app = new AppState();
    app.folders = {
      "alice@example.test": [folder("INBOX", "inbox", 3), folder("Archive", "archive", 10)],
      "bob@example.test": [folder("INBOX", "inbox", 2)],
    };
    expect(app.unread).toBe(5);
    const item = (state: string) => ({ report: { state } }) as OutboxItem;
    app.outboxItems = [item("queued"), item("accepted"), item("failed"), item("copiedToSent"), item("uncertain")];
    expect(app.pending).toBe(3);
  });

  it("takes one unread off the folder of a message the reader opened", () => {
    const app = new AppState();
    app.folders = { "alice@example.test": [folder("INBOX", "inbox", 1), folder("Drafts", "drafts", 0)] };
    app.mailbox.rows.put([summary(1), summary(2)]);
    app.markSeen(1);
    app.markSeen(1);
    expect(app.folders["alice@example.test"]![0]!.unread).toBe(0);
    app.markSeen(2);
    expect(app.folders["alice@example.test"]![0]!.unread).toBe(0);
    expect(app.isDraft(summary(3, "Drafts"))).toBe(true);
    expect(app.isDraft(summary(3))).toBe(false);
  });

  it("keeps the newest answer when account loads overlap", async () => {
    const app = new AppState();
    let answerOld: (a: Account[]) => void = () => {};
    backend.accounts.mockReturnValueOnce(new Promise((r) => (answerOld = r)));
    const old = app.loadAccounts();
    backend.accounts.mockResolvedValueOnce([account("alice@example.test")]);
    await app.loadAccounts();
    answerOld([account("alice@example.test", "password changed")]);
    await old;
    expect(app.accounts[0]!.needsSignin).toBeNull();
  });

  it("syncs the accounts that can sign in, showing each one's progress while it runs", async () => {
    const app = new AppState();
    app.accounts = [account("alice@example.test"), account("bob@example.test", "needs sign-in")];
    backend.accounts.mockResolvedValue(app.accounts);
    const seen: Record<string, SyncProgress>[] = [];
    backend.sync.mockImplementation(async (_email: string, onProgress: (p: SyncProgress) => void) => {
      onProgress({ folder: "INBOX", done: 1, total: 2 } as SyncProgress);
      seen.push(app.progress);
    });
    await app.syncAll();
    expect(backend.sync).toHaveBeenCalledOnce();
    expect(Object.keys(seen[0]!)).toEqual(["alice@example.test"]);
    expect(app.progress).toEqual({});
    expect(backend.listInbox).toHaveBeenCalled(); // then the list is read again
  });

  it("switches views: a list is read from its start, the outbox is read", () => {
    const app = new AppState();
    app.mailbox.selectedId = 4;
    app.show({ kind: "outbox" });
    expect(app.mailbox.selectedId).toBeNull();
    expect(backend.outbox).toHaveBeenCalledOnce();
    app.show({ kind: "inbox" });
    expect(app.mailbox.loaded).toBe(false);
    expect(backend.listInbox).toHaveBeenCalledOnce();
  });

  it("archives: the message leaves the list before the engine answers, with Undo", async () => {
    const app = new AppState();
    app.mailbox.ids = [3, 2, 1];
    app.mailbox.selectedId = 2;
    backend.actOnConversations.mockResolvedValue({ changed: 1, replayed: 1, undo: [{ id: 2, from: "INBOX", keyword: null }] });
    backend.accounts.mockResolvedValue([]);
    backend.listInbox.mockResolvedValue([]);
    const detail = { summary: summary(2) } as MessageDetail;
    const done = app.messageAction("archive", detail);
    expect(app.mailbox.ids).toEqual([3, 1]);
    expect(app.mailbox.selectedId).toBe(1);
    await done;
    expect(backend.actOnConversations).toHaveBeenCalledWith([2], { kind: "archive" });
    expect(app.toaster.current?.undo).toBeDefined();
    backend.undo.mockResolvedValue(1);
    app.shortcut("undo"); // z
    await vi.waitFor(() => expect(backend.undo).toHaveBeenCalledWith([{ id: 2, from: "INBOX", keyword: null }]));
  });

  it("acts on the picked rows: x, Ctrl+A, then e archives them all in one call", async () => {
    const app = new AppState();
    app.mailbox.ids = [5, 4, 3, 2];
    app.mailbox.selectedId = 4;
    app.shortcut("toggle");
    app.mailbox.selectedId = 2;
    app.shortcut("toggle");
    expect(app.picking.inOrder(app.mailbox.ids)).toEqual([4, 2]);
    backend.actOnConversations.mockResolvedValue({ changed: 2, replayed: 2, undo: [] });
    backend.accounts.mockResolvedValue([]);
    backend.listInbox.mockResolvedValue([]);
    app.shortcut("archive");
    await vi.waitFor(() => expect(backend.actOnConversations).toHaveBeenCalledWith([4, 2], { kind: "archive" }));
    expect(app.picking.size).toBe(0);
    expect(app.mailbox.ids).toEqual([5, 3]);
    app.shortcut("pickAll");
    expect(app.picking.size).toBe(2);
    app.show({ kind: "inbox" });
    expect(app.picking.size).toBe(0);
  });

  it("replies from the account the message came to, never to oneself", async () => {
    const app = new AppState();
    app.accounts = [account("alice@example.test")];
    const detail = {
      summary: { ...summary(2), fromAddr: "bob@example.test", date: 1_710_000_000 },
      to: ["alice@example.test"],
      cc: ["alias.alice@example.test", "carol@example.test"],
      references: [],
      text: "Hello",
    } as unknown as MessageDetail;
    await app.messageAction("replyAll", detail);
    expect(app.composer.current?.account).toBe("alice@example.test");
    expect(app.composer.current?.initial.to).toEqual(["bob@example.test"]);
    expect(app.composer.current?.initial.cc).toEqual(["carol@example.test"]);
  });

  it("turns shortcuts into actions", async () => {
    const app = new AppState();
    app.shortcut("next");
    expect(app.mailbox.selectedId).toBeNull(); // an empty list
    app.mailbox.ids = [7, 6];
    app.shortcut("next");
    expect(app.mailbox.selectedId).toBe(7);
    app.shortcut("help");
    expect(app.help).toBe(true);
    app.shortcut("compose");
    expect(app.composer.current?.initial.subject).toBe("");
    backend.show.mockResolvedValue({ summary: summary(7) });
    backend.actOnConversations.mockResolvedValue({ changed: 1, replayed: 1, undo: [] });
    backend.accounts.mockResolvedValue([]);
    backend.listInbox.mockResolvedValue([summary(6)]); // the list read again after it
    app.shortcut("delete");
    await vi.waitFor(() => expect(backend.actOnConversations).toHaveBeenCalledWith([7], { kind: "delete" }));
    expect(app.mailbox.ids).toEqual([6]);
  });
});
