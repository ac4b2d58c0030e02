// Which rows of a long list to put in the DOM: only those in (or near) the viewport, so a
// 100,000-message folder scrolls as smoothly as a 50-message one. Pure, tested without a DOM.

export type Window = {
  /** Index of the first row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** The space above the first rendered row, in pixels. */
  offset: number;
  /** The height of the whole list, in pixels. */
  total: number;
};

/** Rows of `rowHeight` px, `count` of them, scrolled to `scrollTop` in a `viewport` px box. */
export function visibleWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): Window {
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, total - viewport)));
  const first = Math.floor(top / rowHeight);
  const shown = Math.ceil(Math.max(viewport, rowHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/** The scrollTop that brings row `index` into view, or null when it already is. */
export function scrollToReveal(
  index: number,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return null;
}
