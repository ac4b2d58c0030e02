import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Toaster, TOAST_MS } from "./toast.svelte";

describe("Toaster", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("takes a plain toast away after a while, unless another replaced it", () => {
    const toaster = new Toaster();
    toaster.show({ text: "Saved" });
    vi.advanceTimersByTime(TOAST_MS - 1);
    expect(toaster.current?.text).toBe("Saved");
    toaster.show({ text: "Again" });
    vi.advanceTimersByTime(TOAST_MS - 1);
    expect(toaster.current?.text).toBe("Again");
    vi.advanceTimersByTime(1);
    expect(toaster.current).toBeNull();
  });

  it("counts down with Undo, then says it is done, and that goes away by itself", () => {
    const toaster = new Toaster();
    const undo = vi.fn();
    toaster.countdown(3, (s) => `Sending in ${s} s`, "Sent", undo);
    expect(toaster.current).toMatchObject({ text: "Sending in 3 s", secs: 3, undo });
    vi.advanceTimersByTime(1000);
    expect(toaster.current).toMatchObject({ text: "Sending in 2 s", secs: 2 });
    vi.advanceTimersByTime(1000);
    expect(toaster.current?.text).toBe("Sending in 1 s");
    vi.advanceTimersByTime(1000);
    expect(toaster.current).toEqual({ text: "Sent" });
    vi.advanceTimersByTime(TOAST_MS);
    expect(toaster.current).toBeNull();
    expect(undo).not.toHaveBeenCalled();
  });

  it("keeps a countdown up longer than a plain toast", () => {
    const toaster = new Toaster();
    toaster.countdown(10, (s) => `Sending in ${s} s`, "Sent", () => {});
    vi.advanceTimersByTime(TOAST_MS + 1000);
    expect(toaster.current?.text).toBe("Sending in 4 s");
  });

  it("stops counting when another toast is shown or it is closed", () => {
    const toaster = new Toaster();
    toaster.countdown(5, (s) => `${s}`, "Sent", () => {});
    toaster.show({ text: "Undone" });
    vi.advanceTimersByTime(2000);
    expect(toaster.current?.text).toBe("Undone");
    toaster.countdown(5, (s) => `${s}`, "Sent", () => {});
    toaster.show(null);
    vi.advanceTimersByTime(10_000);
    expect(toaster.current).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("with no time to undo, offers no Undo and still says it is done", () => {
    const toaster = new Toaster();
    toaster.countdown(0, (s) => `Sending in ${s} s`, "Sent", () => {});
    expect(toaster.current?.secs).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(toaster.current?.text).toBe("Sent");
  });
});
