import type { ReactNode } from "react";

/** Records one under another in a card, divided by lines; `label` names the list for screen readers. */
export function ListCard({ label, isOrdered = false, className = "", children }: { label: string; isOrdered?: boolean; className?: string; children: ReactNode }) {
  const List = isOrdered ? "ol" : "ul";
  return (
    <List aria-label={label} className={`divide-y divide-border rounded-card border border-border bg-surface ${className}`}>
      {children}
    </List>
  );
}
