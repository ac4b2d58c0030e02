import { describe, expect, it, vi } from "vitest";
import type { Draft } from "./bindings";
import { DraftSaver, isBlank, saveAllBeforeClose, saveBeforeClose } from "./drafts";

const draft = (subject: string): Draft => ({
  from: null,
  to: ["bob@example.test"],
  cc: [],
  bcc: [],
  subject,
  body: "hi",
  html: null,
  attachments: [],
  inReplyTo: null,
  references: [],
});

describe("DraftSaver", () => {
  it("saves changes only, and never a blank draft", async () => {
    const save = vi.fn().mockResolvedValue(undefined);
    const saver = new DraftSaver(save);
    expect(await saver.save("k", "me@x", draft("one"), 1)).toBe(true);
    expect(await saver.save("k", "me@x", draft("one"), 2)).toBe(false);
    expect(await saver.save("k", "me@x", draft("two"), 3)).toBe(true);
    expect(await saver.save("k", "me@x", { ...draft(""), to: [], body: " " }, 4)).toBe(false);
    expect(save).toHaveBeenCalledTimes(2);
    expect(save).toHaveBeenLastCalledWith({ key: "k", accountEmail: "me@x", draft: draft("two"), savedAt: 3 });
  });

  it("tries again after a failed save", async () => {
    const save = vi.fn().mockRejectedValueOnce(new Error("disk full")).mockResolvedValue(undefined);
    const saver = new DraftSaver(save);
    await expect(saver.save("k", "me@x", draft("one"))).rejects.toThrow("disk full");
    expect(await saver.save("k", "me@x", draft("one"))).toBe(true);
  });

  it("knows a blank draft", () => {
    expect(isBlank({ ...draft(""), to: [], body: " " })).toBe(true);
    expect(isBlank(draft("x"))).toBe(false);
  });
});

describe("saveAllBeforeClose", () => {
  it("runs every registered save, even after one fails, and not the unregistered", async () => {
    const ran: string[] = [];
    const undoA = saveBeforeClose(async () => void ran.push("a"));
    const undoB = saveBeforeClose(() => Promise.reject(new Error("disk full")));
    const undoC = saveBeforeClose(async () => void ran.push("c"));
    undoC();
    await saveAllBeforeClose();
    expect(ran).toEqual(["a"]);
    undoA();
    undoB();
    await saveAllBeforeClose();
    expect(ran).toEqual(["a"]);
  });
});
