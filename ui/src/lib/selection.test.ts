import { describe, expect, it } from "vitest";
import { clickPick, moveForKey, moveSelection, NOTHING_PICKED, pickAll, pickedInOrder, type Picked, togglePick } from "./selection";

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

describe("picking many rows", () => {
  const list = [1, 2, 3, 4, 5, 6];
  const ctrl = { ctrl: true, shift: false };
  const shift = { ctrl: false, shift: true };
  const both = { ctrl: true, shift: true };
  const ids = (p: Picked): number[] => pickedInOrder(list, p);

  it("Ctrl-click toggles a row and starts from the open one", () => {
    let p = clickPick(list, NOTHING_PICKED, 2, 4, ctrl);
    expect(ids(p)).toEqual([2, 4]);
    p = clickPick(list, p, 2, 5, ctrl);
    expect(ids(p)).toEqual([2, 4, 5]);
    p = clickPick(list, p, 2, 4, ctrl);
    expect(ids(p)).toEqual([2, 5]);
  });

  it("Ctrl-click with nothing open picks just that row", () => {
    expect(ids(clickPick(list, NOTHING_PICKED, null, 3, ctrl))).toEqual([3]);
  });

  it("Shift-click takes the range from the open row, either way round", () => {
    expect(ids(clickPick(list, NOTHING_PICKED, 2, 4, shift))).toEqual([2, 3, 4]);
    expect(ids(clickPick(list, NOTHING_PICKED, 5, 3, shift))).toEqual([3, 4, 5]);
  });

  it("Shift-click ranges from the last Ctrl-click; a second Shift-click moves the range's end", () => {
    let p = clickPick(list, NOTHING_PICKED, 1, 3, ctrl); // 1 and 3, anchor 3
    p = clickPick(list, p, 1, 5, shift);
    expect(ids(p)).toEqual([3, 4, 5]);
    p = clickPick(list, p, 1, 4, shift);
    expect(ids(p)).toEqual([3, 4]);
  });

  it("Ctrl+Shift-click adds the range to the pick", () => {
    let p = clickPick(list, NOTHING_PICKED, 1, 2, ctrl); // 1, 2; anchor 2
    p = clickPick(list, p, 1, 6, ctrl);
    p = clickPick(list, p, 1, 4, both); // from anchor 6 to 4
    expect(ids(p)).toEqual([1, 2, 4, 5, 6]);
  });

  it("x toggles the row under the cursor", () => {
    let p = togglePick(NOTHING_PICKED, 3);
    p = togglePick(p, 5);
    expect(ids(p)).toEqual([3, 5]);
    expect(ids(togglePick(p, 3))).toEqual([5]);
  });

  it("Ctrl+A picks every row; ids no longer listed drop out", () => {
    const p = pickAll(list);
    expect(ids(p)).toEqual(list);
    expect(pickedInOrder([2, 9, 4], p)).toEqual([2, 4]);
    expect(pickAll([]).ids.size).toBe(0);
  });

  it("a click without a modifier ends the pick", () => {
    expect(clickPick(list, pickAll(list), 1, 2, { ctrl: false, shift: false })).toBe(NOTHING_PICKED);
  });
});
