import type { ReactNode } from "react";

/**
 * A column heading; `hidden` names a column for screen readers only (the actions column), and
 * `className` sizes a column whose content would otherwise crowd the rest.
 */
export type Column = string | { hidden: string } | { label: string; className: string };

const HEADINGS = {
  plain: "border-b border-border text-muted",
  // The long lists (jobs, runs, the audit log): small capitals over many rows.
  caps: "border-b border-border text-xs uppercase tracking-wide text-muted",
};

/**
 * A table in a card that scrolls sideways inside itself on narrow screens: the header from
 * `columns`, then the rows, or `empty` across all columns when there are none. A table whose
 * rows hold nothing to focus names itself with `scrollLabel`, so a keyboard can reach and scroll it.
 */
export function Table({
  columns,
  children,
  empty,
  headings = "plain",
  scrollLabel,
}: {
  columns: Column[];
  children: ReactNode;
  empty?: ReactNode;
  headings?: keyof typeof HEADINGS;
  scrollLabel?: string;
}) {
  const scrollable = scrollLabel ? { role: "region", "aria-label": scrollLabel, tabIndex: 0 } : {};
  return (
    <div className="relative overflow-x-auto rounded-card border border-border bg-surface" {...scrollable}>
      <table className="w-full text-left text-sm">
        <thead className={HEADINGS[headings]}>
          <tr>
            {columns.map((column, index) => {
              const { label, className = "" } = headingOf(column);
              return (
                <th key={index} scope="col" className={`px-3 py-2 font-medium ${className}`}>
                  {label}
                </th>
              );
            })}
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

function headingOf(column: Column): { label: ReactNode; className?: string } {
  if (typeof column === "string") return { label: column };
  if ("hidden" in column) return { label: <span className="sr-only">{column.hidden}</span> };
  return column;
}
