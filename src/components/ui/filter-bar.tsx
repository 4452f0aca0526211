import type { ReactNode } from "react";

/** The look of every filter's input and select. */
export const filterInputClass = "rounded-card border border-border bg-surface px-2 py-1.5 text-sm";

/** A list's filters as a GET form: they live in the URL, so a filtered list can be shared. */
export function FilterBar({ applyLabel, children, after }: { applyLabel: string; children: ReactNode; after?: ReactNode }) {
  return (
    <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
      {children}
      <button type="submit" className="rounded-card bg-accent px-3 py-1.5 text-accent-contrast">
        {applyLabel}
      </button>
      {after}
    </form>
  );
}

/** One labelled filter: an input of the caller's. */
export function FilterField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-muted">{label}</span>
      {children}
    </label>
  );
}

/** A filter picked from a list, with "any" first. */
export function FilterSelect({
  name,
  label,
  value,
  anyLabel,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  anyLabel: string;
  options: readonly (string | { value: string; label: string })[];
}) {
  const choices = options.map((option) => (typeof option === "string" ? { value: option, label: option } : option));
  // A value chosen from a link (or past the menu's cap) stays selectable.
  const all = value && !choices.some((choice) => choice.value === value) ? [{ value, label: value }, ...choices] : choices;
  return (
    <FilterField label={label}>
      <select name={name} defaultValue={value ?? ""} className={`${filterInputClass} max-w-64`}>
        <option value="">{anyLabel}</option>
        {all.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FilterField>
  );
}
