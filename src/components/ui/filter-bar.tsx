import type { ReactNode } from "react";
import { Button } from "./button";
import { Options, inputClass, type Choice } from "./field";

/** A list's filters as a GET form: they live in the URL, so a filtered list can be shared. */
export function FilterBar({ applyLabel, children, after }: { applyLabel: string; children: ReactNode; after?: ReactNode }) {
  return (
    <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
      {children}
      <Button type="submit">{applyLabel}</Button>
      {after}
    </form>
  );
}

/** One labelled filter: an input of the caller's, drawn with `inputClass`. */
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
  options: readonly (string | Choice)[];
}) {
  const choices = options.map((option) => (typeof option === "string" ? { value: option, label: option } : option));
  // A value chosen from a link (or past the menu's cap) stays selectable.
  const all = value && !choices.some((choice) => choice.value === value) ? [{ value, label: value }, ...choices] : choices;
  return (
    <FilterField label={label}>
      <select name={name} defaultValue={value ?? ""} className={`${inputClass} max-w-64`}>
        <option value="">{anyLabel}</option>
        <Options choices={all} />
      </select>
    </FilterField>
  );
}
