// Moving a selection through a list by keyboard. Pure, so it is tested without a DOM.

export type Move = "next" | "previous" | "first" | "last";

/**
 * The id selected after `move` in `ids`. With nothing (or something no longer listed)
 * selected, any move lands on the first or last row; at either end the selection stays.
 */
export function moveSelection(ids: readonly number[], selected: number | null, move: Move): number | null {
  if (ids.length === 0) return null;
  const index = selected === null ? -1 : ids.indexOf(selected);
  switch (move) {
    case "first":
      return ids[0]!;
    case "last":
      return ids[ids.length - 1]!;
    case "next":
      return index === -1 ? ids[0]! : ids[Math.min(index + 1, ids.length - 1)]!;
    case "previous":
      return index === -1 ? ids[0]! : ids[Math.max(index - 1, 0)]!;
  }
}

/** The move a key asks for, or null when the key is not a list key. */
export function moveForKey(key: string): Move | null {
  switch (key) {
    case "j":
    case "ArrowDown":
      return "next";
    case "k":
    case "ArrowUp":
      return "previous";
    case "Home":
      return "first";
    case "End":
      return "last";
    default:
      return null;
  }
}
