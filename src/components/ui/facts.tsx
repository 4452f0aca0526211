import Link from "next/link";
import type { ReactNode } from "react";

/** Label–value pairs in two columns: a record's facts at a glance. */
export function Facts({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <dl className={`grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm ${className}`}>{children}</dl>;
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="break-words">{children}</dd>
    </>
  );
}

/** A fact that is another record: its value leads to that record's page; ids are `mono`. */
export function LinkFact({ label, href, mono = false, children }: { label: string; href: string; mono?: boolean; children: ReactNode }) {
  return (
    <Fact label={label}>
      <Link href={href} className={`text-accent hover:underline${mono ? " font-mono" : ""}`}>
        {children}
      </Link>
    </Fact>
  );
}

/** A fact with its label above it, for a grid of a few facts side by side. */
export function StackedFact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-sm">{value}</dd>
    </div>
  );
}
