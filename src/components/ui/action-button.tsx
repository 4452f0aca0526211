"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/action-state";
import { Button } from "./button";

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  confirm?: string;
  variant?: "primary" | "secondary";
};

/** A one-click server action (acknowledge, pause, cancel) with its error shown beside it. */
export function ActionButton({ action, fields, label, pendingLabel, confirm, variant = "secondary" }: Props) {
  const [state, formAction, isPending] = useActionState(action, {});
  return (
    <form
      action={formAction}
      className="inline-flex items-center gap-2"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} disabled={isPending}>
        {isPending ? (pendingLabel ?? label) : label}
      </Button>
      {state.error ? (
        <span role="alert" className="text-sm text-danger">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
