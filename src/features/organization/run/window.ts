// Which rows of a long table to draw: the ones in view and a few around them. Past VIRTUALIZE_AFTER
// rows the table draws only those, with spacers above and below keeping the scroll height.

export const VIRTUALIZE_AFTER = 200;
export const ROW_HEIGHT = 44;
const OVERSCAN = 8;

export interface RowWindow {
  first: number;
  /** One past the last row drawn. */
  last: number;
  before: number;
  after: number;
}

export function rowWindow(
  count: number,
  scrollTop: number,
  viewport: number,
  rowHeight = ROW_HEIGHT,
): RowWindow {
  if (count <= VIRTUALIZE_AFTER) return { first: 0, last: count, before: 0, after: 0 };
  const first = Math.max(0, Math.min(count, Math.floor(scrollTop / rowHeight) - OVERSCAN));
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);
  return { first, last, before: first * rowHeight, after: (count - last) * rowHeight };
}
