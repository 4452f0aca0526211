"use client";

import type { ReactNode } from "react";
import { inputClass } from "@/components/ui/field";

/**
 * A sidebar menu that takes effect as soon as it changes. It wears the shared input look in the
 * sidebar's colours: the surface and border tokens are re-pointed for what is inside it.
 */
export function Switcher({
  action,
  id,
  name,
  current,
  label,
  isStacked = false,
  noscriptSubmit,
  children,
}: {
  action: (form: FormData) => Promise<void>;
  id: string;
  name: string;
  current: string;
  label: string;
  /** A visible label over a menu as wide as the sidebar; otherwise the label is for screen readers. */
  isStacked?: boolean;
  /** Without JavaScript nothing submits on change: the button to press instead. */
  noscriptSubmit?: string;
  children: ReactNode;
}) {
  return (
    <form action={action} className="[--color-border:rgb(255_255_255/0.1)] [--color-surface:var(--color-sidebar-active)]">
      <label htmlFor={id} className={isStacked ? "block text-xs uppercase tracking-wide text-sidebar-text/70" : "sr-only"}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={current}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className={`${inputClass} text-white${isStacked ? " mt-1 w-full" : ""}`}
      >
        {children}
      </select>
      {noscriptSubmit ? (
        <noscript>
          <button type="submit" className="mt-1 text-xs underline">
            {noscriptSubmit}
          </button>
        </noscript>
      ) : null}
    </form>
  );
}
