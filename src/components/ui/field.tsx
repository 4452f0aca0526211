import type { InputHTMLAttributes } from "react";

/** A labelled input with its error, tied together for screen readers. */
export function Field({
  label,
  name,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string }) {
  const errorId = `${name}-error`;
  return (
    <label className="block text-sm">
      <span className="mb-1 block font-medium">{label}</span>
      <input
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className="w-full rounded-card border border-border bg-surface px-3 py-2 text-sm outline-none focus:border-accent focus:ring-2 focus:ring-accent/20 aria-invalid:border-danger"
        {...input}
      />
      {error ? (
        <span id={errorId} className="mt-1 block text-danger">
          {error}
        </span>
      ) : null}
    </label>
  );
}
