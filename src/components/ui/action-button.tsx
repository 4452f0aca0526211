"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/action-state";
import { useLocalized, useT } from "@/lib/i18n/client";
import { Button } from "./button";
import { Dialog, DialogClose, DialogContent } from "./dialog";

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  /** Asked first, in a dialog whose buttons are `label` and `keepLabel`. */
  confirm?: string;
  /** The button that changes nothing ("Keep running"); a plain "No, keep it" by default. */
  keepLabel?: string;
  variant?: "primary" | "secondary";
};

/** A one-click server action (acknowledge, pause, cancel) with its error shown beside it. */
export function ActionButton({ action, fields, label, pendingLabel, confirm, keepLabel, variant = "secondary" }: Props) {
  const t = useT();
  const [rawState, formAction, isPending] = useActionState(action, {});
  const state = useLocalized(rawState);
  const [isAsking, setAsking] = useState(false);
  const hidden = Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  const error = state.error ? (
    <span role="alert" className="text-sm text-danger">
      {state.error}
    </span>
  ) : null;
  if (!confirm) {
    return (
      <form action={formAction} className="inline-flex items-center gap-2">
        {hidden}
        <Button type="submit" variant={variant} disabled={isPending}>
          {isPending ? (pendingLabel ?? label) : label}
        </Button>
        {error}
      </form>
    );
  }
  return (
    <span className="inline-flex items-center gap-2">
      <Dialog open={isAsking} onOpenChange={setAsking}>
        <Button type="button" variant={variant} disabled={isPending} onClick={() => setAsking(true)}>
          {isPending ? (pendingLabel ?? label) : label}
        </Button>
        <DialogContent title={confirm}>
          {/* The answer closes the dialog; a refusal shows beside the button that opened it. */}
          <form action={formAction} onSubmit={() => setAsking(false)} className="flex flex-wrap justify-end gap-2">
            {hidden}
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                {keepLabel ?? t("confirm.keep")}
              </Button>
            </DialogClose>
            <Button type="submit">{label}</Button>
          </form>
        </DialogContent>
      </Dialog>
      {error}
    </span>
  );
}
