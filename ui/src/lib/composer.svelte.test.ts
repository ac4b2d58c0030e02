import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const backend = vi.hoisted(() => ({
  queue: vi.fn(),
  undoSend: vi.fn(),
  takeMailto: vi.fn(),
  outboxDraft: vi.fn(),
}));
vi.mock("./backend", () => backend);

import type { Account, Draft } from "./bindings";
import { blankDraft, Composer } from "./composer.svelte";
import { t } from "./i18n";
import { Toaster } from "./toast.svelte";

const alice = { email: "alice@example.test", identities: [], needsSignin: null } as unknown as Account;
const draft = (subject: string): Draft => ({ ...blankDraft(), to: ["bob@example.test"], subject });

function setup(accounts: Account[] = [alice]) {
  const toaster = new Toaster();
  const queued = vi.fn();
  const composer = new Composer(() => accounts, toaster, queued);
  return { composer, toaster, queued };
}

describe("Composer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    for (const f of Object.values(backend)) f.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it("opens from the first account unless told which", () => {
    const { composer } = setup();
    composer.open(draft("Hi"));
    expect(composer.current).toMatchObject({ account: "alice@example.test", initial: { subject: "Hi" } });
    composer.open(draft("Hi"), "bob@example.test");
    expect(composer.current?.account).toBe("bob@example.test");
    composer.close();
    expect(composer.current).toBeNull();
  });

  it("sends through the undo window, and Undo brings the draft back", async () => {
    const { composer, toaster, queued } = setup();
    composer.undoDelay = 5;
    composer.open(draft("Oops"));
    backend.queue.mockResolvedValue({ outboxId: 42 });
    await composer.send("alice@example.test", draft("Oops"), null);
    expect(backend.queue).toHaveBeenCalledWith("alice@example.test", draft("Oops"), 5, null);
    expect(composer.current).toBeNull();
    expect(queued).toHaveBeenCalledOnce();
    expect(toaster.current).toMatchObject({ text: t("sending", { secs: 5 }), secs: 5 });

    vi.advanceTimersByTime(2000);
    backend.undoSend.mockResolvedValue(undefined);
    toaster.current!.undo!();
    await vi.waitFor(() => expect(toaster.current?.text).toBe(t("undone")));
    expect(backend.undoSend).toHaveBeenCalledWith(42);
    expect(composer.current).toMatchObject({ account: "alice@example.test", initial: { subject: "Oops" } });
    expect(queued).toHaveBeenCalledTimes(2);
  });

  it("says so when Undo came too late", async () => {
    const { composer, toaster } = setup();
    backend.queue.mockResolvedValue({ outboxId: 7 });
    await composer.send("alice@example.test", draft("Late"), null);
    backend.undoSend.mockRejectedValue({ kind: "notFound", message: "already sent" });
    toaster.current!.undo!();
    await vi.waitFor(() => expect(toaster.current?.text).toBe("already sent"));
    expect(composer.current).toBeNull();
  });

  it("sends later without a countdown", async () => {
    const { composer, toaster } = setup();
    backend.queue.mockResolvedValue({ outboxId: 9 });
    await composer.send("alice@example.test", draft("Tomorrow"), 1_900_000_000);
    expect(toaster.current).toEqual({ text: t("sentQueued") });
  });

  it("keeps mailto: links waiting while compose is open, then opens them one by one", async () => {
    const { composer, toaster } = setup();
    composer.ready = true;
    composer.open(draft("Being written"));
    backend.takeMailto.mockResolvedValue([draft("Link 1"), draft("Link 2")]);
    await composer.takeMailtos();
    expect(toaster.current?.text).toBe(t("mailtoWaiting"));
    composer.openWaiting();
    expect(composer.current?.initial.subject).toBe("Being written");

    composer.close();
    composer.openWaiting();
    expect(composer.current?.initial.subject).toBe("Link 1");
    expect(toaster.current).toBeNull();
    composer.close();
    composer.openWaiting();
    expect(composer.current?.initial.subject).toBe("Link 2");
    expect(composer.waiting).toEqual([]);
  });

  it("opens no link before the saved draft is back or without an account", async () => {
    backend.takeMailto.mockResolvedValue([draft("Link")]);
    const early = setup();
    await early.composer.takeMailtos();
    early.composer.openWaiting();
    expect(early.composer.current).toBeNull();

    const onboarding = setup([]);
    onboarding.composer.ready = true;
    await onboarding.composer.takeMailtos();
    onboarding.composer.openWaiting();
    expect(onboarding.composer.current).toBeNull();
    expect(onboarding.toaster.current).toBeNull();
  });
});
