import type { ReactNode } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { CopyableCode } from "./copy-button";
import type { FormAction } from "./use-form-action";

/**
 * A form that makes something in one row: its fields and the submit side by side (`className`
 * sets the columns), a refusal under them, then `created`, what it made. Spread useFormAction's
 * answer into it.
 */
export function CreateForm({
  state,
  onSubmit,
  isPending,
  formRef,
  className,
  submit,
  children,
  created,
}: FormAction & { className: string; submit: string; children: ReactNode; created: ReactNode }) {
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} noValidate className={`grid gap-4 sm:items-end ${className}`}>
        {children}
        <Button type="submit" disabled={isPending}>
          {submit}
        </Button>
      </form>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {created}
    </div>
  );
}

/** What a create form made, announced as it appears: a token or link is shown this once. */
export function Created({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section role="status" aria-label={label} className="max-w-3xl space-y-3 rounded-card border border-border bg-canvas p-4 text-sm">
      {children}
    </section>
  );
}

/**
 * A token just made: its name, that it is shown only this once, the token to copy, then
 * (`children`) how to use it.
 */
export function NewToken({
  label,
  name,
  qualifier,
  shownOnce,
  token,
  copyLabel,
  testId,
  children,
}: {
  label: string;
  name: string;
  /** Said in brackets after the name, such as the token's scope. */
  qualifier?: string;
  shownOnce: string;
  token: string;
  copyLabel: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Created label={label}>
      <p>
        <strong>{name}</strong>
        {qualifier ? ` (${qualifier})` : ""}. {shownOnce}
      </p>
      <CopyableCode value={token} label={copyLabel} testId={testId} />
      {children}
    </Created>
  );
}
