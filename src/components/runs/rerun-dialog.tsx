"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { TextAreaField } from "@/components/ui/field";
import { useLocalized } from "@/lib/i18n/client";
import { requestRunAction, type RequestRunState } from "@/server/runs/actions";

type Labels = {
  open: string;
  title: string;
  description: string;
  params: string;
  submit: string;
  close: string;
};

/**
 * The Rerun button and its dialog: parameters as JSON, checked against the job's schema. Once the
 * run is queued the dialog closes and its page opens, so a second click cannot queue another.
 */
export function RerunDialog({
  jobId,
  rerunOf,
  defaultParams,
  labels,
}: {
  jobId: string;
  rerunOf: string | null;
  defaultParams: Record<string, unknown>;
  labels: Labels;
}) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const [rawState, formAction, isPending] = useActionState<RequestRunState, FormData>(async (previous, formData) => {
    const next = await requestRunAction(previous, formData);
    if (next.ok && next.runId) {
      setOpen(false);
      router.push(`/runs/${next.runId}`);
    }
    return next;
  }, {});
  const state = useLocalized(rawState);
  const [params, setParams] = useState(() => JSON.stringify(defaultParams, null, 2));
  const paramErrors = Object.entries(state.fieldErrors ?? {});
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        {/* Run now is the page's one primary action; this one lets the parameters change first. */}
        <Button type="button" variant="secondary">{labels.open}</Button>
      </DialogTrigger>
      <DialogContent title={labels.title} description={labels.description}>
        <form action={formAction} className="space-y-3">
          <input type="hidden" name="jobId" value={jobId} />
          <input type="hidden" name="rerunOf" value={rerunOf ?? ""} />
          {/* The problems are listed below, one per parameter, rather than as one field's error. */}
          <TextAreaField
            label={labels.params}
            name="params"
            mono
            value={params}
            onChange={(event) => setParams(event.target.value)}
            rows={10}
            spellCheck={false}
            aria-invalid={paramErrors.length > 0 || undefined}
            aria-describedby={paramErrors.length > 0 ? "params-errors" : undefined}
          />
          {state.error ? (
            <div id="params-errors" role="alert" className="rounded-card border border-danger/30 bg-danger-soft p-3 text-sm text-danger">
              <p className="font-medium">{state.error}</p>
              {paramErrors.length > 0 ? (
                <ul className="mt-1 list-disc pl-5">
                  {paramErrors.map(([field, message]) => (
                    <li key={field}>
                      <code className="font-mono">{field}</code>: {message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                {labels.close}
              </Button>
            </DialogClose>
            <Button type="submit" disabled={isPending}>
              {labels.submit}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
