import { describe, expect, it } from "vitest";
import { frameDark, isDark } from "./theme.svelte";

describe("the appearance", () => {
  it("follows the system unless light or dark was chosen", () => {
    expect(isDark("system", true)).toBe(true);
    expect(isDark("system", false)).toBe(false);
    expect(isDark("dark", false)).toBe(true);
    expect(isDark("light", true)).toBe(false);
  });

  it("shows mail dark in a dark window, unless its original colours were asked for", () => {
    expect(frameDark(true, false)).toBe(true);
    expect(frameDark(true, true)).toBe(false);
    expect(frameDark(false, false)).toBe(false);
    expect(frameDark(false, true)).toBe(false);
  });
});
