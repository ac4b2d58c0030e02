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

// --- Picking many rows (bulk actions): Ctrl/Cmd-click toggles one, Shift-click takes the
// range from the anchor, `x` toggles the row under the cursor, Ctrl+A takes them all. The
// row open in the reader starts a pick: click one, Shift-click another, both and those
// between are picked, as in desktop file lists.

export type Picked = {
  ids: ReadonlySet<number>;
  /** Where the next Shift-click's range starts. */
  anchor: number | null;
};

export const NOTHING_PICKED: Picked = { ids: new Set(), anchor: null };

/** The ids from `a` to `b` in list order (either way round); just `b` if `a` is not listed. */
function range(list: readonly number[], a: number | null, b: number): number[] {
  const from = a === null ? -1 : list.indexOf(a);
  const to = list.indexOf(b);
  if (to < 0) return [];
  if (from < 0) return [b];
  return list.slice(Math.min(from, to), Math.max(from, to) + 1);
}

/**
 * A click with a modifier on row `id`; `open` is the row open in the reader. Ctrl (or Cmd)
 * toggles `id`; Shift picks the range from the anchor (Ctrl+Shift adds it to the pick).
 */
export function clickPick(
  list: readonly number[],
  picked: Picked,
  open: number | null,
  id: number,
  mods: { ctrl: boolean; shift: boolean },
): Picked {
  const start = picked.ids.size > 0 || open === null ? picked : { ids: new Set([open]), anchor: open };
  if (mods.shift) {
    const anchor = start.anchor ?? open ?? id;
    const ids = new Set(mods.ctrl ? start.ids : []);
    for (const each of range(list, anchor, id)) ids.add(each);
    return { ids, anchor };
  }
  if (!mods.ctrl) return NOTHING_PICKED;
  return toggle(start, id);
}

/** `x` on row `id` (the one under the cursor): in the pick or out of it. */
export function togglePick(picked: Picked, id: number): Picked {
  return toggle(picked, id);
}

function toggle(picked: Picked, id: number): Picked {
  const ids = new Set(picked.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** Ctrl+A: every row of the list. */
export function pickAll(list: readonly number[]): Picked {
  return { ids: new Set(list), anchor: list[0] ?? null };
}

/** The pick in list order, without the ids the list no longer has (moved, synced away). */
export function pickedInOrder(list: readonly number[], picked: Picked): number[] {
  return list.filter((id) => picked.ids.has(id));
}
