"use client";

import { useActionState, useRef, useState } from "react";
import type { ActionState } from "@/lib/action-state";
import { useLocalized, useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/messages";
import { Button } from "./button";
import { Dialog, DialogClose, DialogContent } from "./dialog";

type BulkState = ActionState & { count?: number };

type Props = {
  action: (state: BulkState, form: FormData) => Promise<BulkState>;
  /** The form's id: inputs elsewhere on the page join it with form="…" (ticked incidents). */
  formId: string;
  /** Hidden fields sent with it (the runs page's filters). */
  fields?: Record<string, string>;
  /** How many the action would take now; without it, the ticked inputs of the form are counted. */
  count?: number;
  /** The most one action takes, for the messages. */
  limit: number;
  /** Message keys; each may use {count}. */
  messages: { label: MessageKey; title: MessageKey; description: MessageKey; confirm: MessageKey; keep: MessageKey; done: MessageKey; none?: MessageKey };
};

/**
 * A bulk action behind a confirmation that states the exact count, as a Radix dialog with plain
 * buttons. The server answers how many it actually took, which is what the page then says.
 */
export function ConfirmBulkAction({ action, formId, fields = {}, count, limit, messages }: Props) {
  const t = useT();
  const [rawState, formAction, isPending] = useActionState(action, {});
  const state = useLocalized(rawState);
  const [open, setOpen] = useState(false);
  const [ticked, setTicked] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const shown = count ?? ticked;

  // Close once the server has answered, so its answer (done, or why not) shows on the page:
  // adjusted while rendering the new answer, not in an effect.
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    setOpen(false);
  }

  const openConfirmation = () => {
    if (count === undefined) setTicked(document.querySelectorAll(`input[form="${formId}"]:checked`).length);
    setOpen(true);
  };

  return (
    <div className="inline-flex flex-wrap items-center gap-2">
      <form id={formId} ref={formRef} action={formAction}>
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
      </form>
      <Button type="button" variant="secondary" disabled={count === 0 || isPending} onClick={openConfirmation}>
        {t(messages.label, { count: count ?? 0 })}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          title={shown === 0 && messages.none ? t(messages.none) : t(messages.title, { count: shown })}
          description={shown === 0 ? undefined : t(messages.description, { count: shown, limit })}
        >
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                {t(messages.keep)}
              </Button>
            </DialogClose>
            {shown > 0 ? (
              <Button type="button" disabled={isPending} onClick={() => formRef.current?.requestSubmit()}>
                {t(messages.confirm, { count: shown })}
              </Button>
            ) : null}
          </div>
        </DialogContent>
      </Dialog>
      {state.ok && state.count !== undefined ? (
        <span role="status" className="text-sm text-success">
          {t(messages.done, { count: state.count })}
        </span>
      ) : null}
      {state.error ? (
        <span role="alert" className="text-sm text-danger">
          {state.error}
        </span>
      ) : null}
    </div>
  );
}
