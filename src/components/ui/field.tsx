import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

/**
 * The look of every text input, select and textarea. No width: a field's control fills its
 * column, while a filter or a table row's menu keeps the width of what it holds.
 */
export const inputClass =
  "rounded-card border border-border bg-surface px-3 py-2 text-sm outline-none focus:border-accent focus:ring-2 focus:ring-accent/20 aria-invalid:border-danger";

export type Choice = { value: string; label: string };

/** A select's or datalist's options. */
export function Options({ choices }: { choices: readonly Choice[] }) {
  return choices.map((choice) => (
    <option key={choice.value} value={choice.value}>
      {choice.label}
    </option>
  ));
}

type FieldProps = {
  label: string;
  name: string;
  /** Where two fields on a page share a name; the label and the error follow the id. */
  id?: string;
  error?: string;
  hint?: string;
  /** Keys, URLs, cron lines and JSON are read character by character. */
  mono?: boolean;
  /** The field's place in its form, such as a column span; the control keeps the shared look. */
  className?: string;
};

/** A control's own attributes, less those the field sets. */
type Control<Attributes> = FieldProps & Omit<Attributes, keyof FieldProps>;

/** A labelled text input with its hint and error, tied together for screen readers. */
export function Field({ label, name, id = name, error, hint, mono, className, ...input }: Control<InputHTMLAttributes<HTMLInputElement>>) {
  return (
    <FieldFrame label={label} id={id} error={error} hint={hint} className={className}>
      <input {...controlProps(name, id, error, mono)} {...input} />
    </FieldFrame>
  );
}

/** A labelled select: its options are the children. */
export function SelectField({ label, name, id = name, error, hint, mono, className, ...select }: Control<SelectHTMLAttributes<HTMLSelectElement>>) {
  return (
    <FieldFrame label={label} id={id} error={error} hint={hint} className={className}>
      <select {...controlProps(name, id, error, mono)} {...select} />
    </FieldFrame>
  );
}

export function TextAreaField({ label, name, id = name, error, hint, mono, className, ...textarea }: Control<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  return (
    <FieldFrame label={label} id={id} error={error} hint={hint} className={className}>
      <textarea {...controlProps(name, id, error, mono)} {...textarea} />
    </FieldFrame>
  );
}

/** The id ties the control to its label; aria-describedby has its error read out with it. */
function controlProps(name: string, id: string, error: string | undefined, mono: boolean | undefined) {
  return {
    id,
    name,
    className: `${inputClass} w-full${mono ? " font-mono" : ""}`,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
  };
}

function FieldFrame({ label, id, error, hint, className = "", children }: { label: string; id: string; error?: string; hint?: string; className?: string; children: ReactNode }) {
  return (
    <div className={`text-sm ${className}`}>
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      {children}
      {hint ? <p className="mt-1 text-xs text-muted">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
