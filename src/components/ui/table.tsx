import type { ReactNode } from "react";

/** A column heading; `hidden` names a column for screen readers only (the actions column). */
export type Column = string | { hidden: string };

/**
 * A table in a card that scrolls sideways inside itself on narrow screens: the header from
 * `columns`, then the rows, or `empty` across all columns when there are none.
 */
export function Table({ columns, children, empty }: { columns: Column[]; children: ReactNode; empty?: ReactNode }) {
  return (
    <div className="relative overflow-x-auto rounded-card border border-border bg-surface">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-border text-muted">
          <tr>
            {columns.map((column, index) => (
              <th key={index} className="px-3 py-2 font-medium">
                {typeof column === "string" ? column : <span className="sr-only">{column.hidden}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {empty ? (
            <tr>
              <td colSpan={columns.length} className="px-3 py-4 text-muted">
                {empty}
              </td>
            </tr>
          ) : null}
          {children}
        </tbody>
      </table>
    </div>
  );
}
