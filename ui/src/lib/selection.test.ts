import { describe, expect, it } from "vitest";
import { moveForKey, moveSelection } from "./selection";

describe("moveSelection", () => {
  const ids = [10, 20, 30];

  it("steps forward and back", () => {
    expect(moveSelection(ids, 10, "next")).toBe(20);
    expect(moveSelection(ids, 30, "previous")).toBe(20);
  });

  it("stays put at either end", () => {
    expect(moveSelection(ids, 30, "next")).toBe(30);
    expect(moveSelection(ids, 10, "previous")).toBe(10);
  });

  it("starts at the top when nothing is selected or the selection vanished", () => {
    expect(moveSelection(ids, null, "next")).toBe(10);
    expect(moveSelection(ids, null, "previous")).toBe(10);
    expect(moveSelection(ids, 99, "next")).toBe(10);
  });

  it("jumps to the first and last rows", () => {
    expect(moveSelection(ids, 20, "first")).toBe(10);
    expect(moveSelection(ids, 20, "last")).toBe(30);
  });

  it("selects nothing in an empty list", () => {
    expect(moveSelection([], 10, "next")).toBeNull();
  });
});

describe("moveForKey", () => {
  it("maps vi keys and arrows", () => {
    expect(moveForKey("j")).toBe("next");
    expect(moveForKey("ArrowDown")).toBe("next");
    expect(moveForKey("k")).toBe("previous");
    expect(moveForKey("ArrowUp")).toBe("previous");
    expect(moveForKey("Home")).toBe("first");
    expect(moveForKey("End")).toBe("last");
    expect(moveForKey("J")).toBeNull();
    expect(moveForKey("x")).toBeNull();
  });
});
