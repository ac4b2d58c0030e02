import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

import { BackendError, listInbox } from "./backend";
import type { MessageSummary } from "./bindings";

const message: MessageSummary = {
  id: 1,
  accountId: 1,
  accountEmail: "bob@example.test",
  folder: "INBOX",
  uid: 7,
  fromName: null,
  fromAddr: "alice@example.test",
  subject: "Hello",
  date: 1_710_000_000,
  messageId: "<1@example.test>",
  seen: false,
  flagged: false,
  preview: "",
  threadId: 1,
  attachments: 0,
};

describe("listInbox", () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it("calls the list_inbox command with the limit", async () => {
    invoke.mockResolvedValue([message]);
    await expect(listInbox(500)).resolves.toEqual([message]);
    expect(invoke).toHaveBeenCalledWith("list_inbox", { limit: 500, grouped: false });
  });

  it("turns a CommandError rejection into a BackendError with its kind", async () => {
    invoke.mockRejectedValue({ kind: "storage", message: "database is locked" });
    const error = await listInbox(10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).kind).toBe("storage");
    expect((error as BackendError).message).toBe("database is locked");
  });
});
