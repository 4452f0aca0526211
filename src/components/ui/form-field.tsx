export const inputClass = "w-full rounded-card border border-border bg-surface px-3 py-2 text-sm aria-invalid:border-danger";

/** A labelled control with its error, linked for screen readers. */
export function FormField({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="text-sm">
      <label htmlFor={name} className="mb-1 block font-medium">
        {label}
      </label>
      {children}
      {hint ? <p className="mt-1 text-xs text-muted">{hint}</p> : null}
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** aria-invalid and the link to the error for the control of field `name` (whose FormField is `id`). */
export const invalidProps = (errors: Record<string, string> | undefined, name: string, id = name) =>
  errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};
