import { describe, expect, it } from "vitest";
import { scrollToReveal, visibleWindow } from "./virtual";

describe("visibleWindow", () => {
  it("renders a screenful plus overscan at the top", () => {
    expect(visibleWindow(0, 600, 60, 100_000, 5)).toEqual({ start: 0, end: 16, offset: 0, total: 6_000_000 });
  });

  it("renders only the rows around the viewport deep in a 100,000-row list", () => {
    const w = visibleWindow(3_000_000, 600, 60, 100_000, 5);
    expect(w.start).toBe(49_995);
    expect(w.end).toBe(50_016);
    expect(w.end - w.start).toBeLessThan(30);
    expect(w.offset).toBe(49_995 * 60);
  });

  it("clamps past the end and handles empty lists", () => {
    const w = visibleWindow(1e9, 600, 60, 1000, 5);
    expect(w.end).toBe(1000);
    expect(w.start).toBeGreaterThan(980);
    expect(visibleWindow(0, 600, 60, 0)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });
});

describe("scrollToReveal", () => {
  it("scrolls up or down just enough, or not at all", () => {
    expect(scrollToReveal(0, 120, 600, 60)).toBe(0);
    expect(scrollToReveal(20, 0, 600, 60)).toBe(21 * 60 - 600);
    expect(scrollToReveal(3, 0, 600, 60)).toBeNull();
  });
});
