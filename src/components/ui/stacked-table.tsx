// biome-ignore-all lint/a11y/noRedundantRoles: display:block drops table semantics in some browsers (Safari); the explicit roles restore them
import type { ReactNode } from 'react';
import { cx } from './styles.ts';

// A table that keeps every column on a phone: from `sm` up it is a table; below, each row is a
// block and each cell shows its column's name above its value (dropping the explanatory columns
// hid exactly what a phone user needed). The ARIA roles keep the table semantics that
// `display: block` takes away in some browsers.

export interface StackedColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Extra classes for the cell, e.g. "font-mono". */
  className?: string;
}

export interface StackedTableProps<Row> {
  caption: ReactNode;
  /** Visually hidden caption (the surrounding text already says what the table is). */
  captionHidden?: boolean;
  /** The first column is the row's header (a <th scope="row">). */
  columns: readonly [StackedColumn<Row>, ...StackedColumn<Row>[]];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
}

export function StackedTable<Row>({ caption, captionHidden, columns, rows, rowKey }: StackedTableProps<Row>) {
  const [first, ...rest] = columns;
  return (
    <table role="table" className="block w-full border-collapse text-left text-sm sm:table">
      <caption
        className={cx(captionHidden ? 'sr-only' : 'mb-1 block text-left font-semibold sm:table-caption')}
      >
        {caption}
      </caption>
      <thead role="rowgroup" className="sr-only sm:not-sr-only sm:table-header-group">
        <tr role="row" className="border-b border-slate-400 dark:border-slate-500">
          {columns.map((column) => (
            <th key={column.header} role="columnheader" scope="col" className="py-2 pr-3 font-semibold">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup" className="block sm:table-row-group">
        {rows.map((row) => (
          <tr
            key={rowKey(row)}
            role="row"
            className="block border-b border-slate-200 py-2 align-top sm:table-row sm:py-0 dark:border-slate-700"
          >
            <th
              role="rowheader"
              scope="row"
              className={cx(
                'block font-semibold sm:table-cell sm:py-2 sm:pr-3 sm:font-medium',
                first.className,
              )}
            >
              {first.cell(row)}
            </th>
            {rest.map((column) => (
              <td
                key={column.header}
                role="cell"
                className={cx('mt-1 block sm:mt-0 sm:table-cell sm:py-2 sm:pr-3', column.className)}
              >
                {/* On a phone the column's name labels the value; from sm up the header row does. */}
                <span
                  aria-hidden="true"
                  className="block font-sans text-xs font-semibold text-slate-700 sm:hidden dark:text-slate-300"
                >
                  {column.header}
                </span>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
