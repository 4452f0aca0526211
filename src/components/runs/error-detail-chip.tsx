"use client";

import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { Chip } from "@/components/ui/chip";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";

export type ErrorDetail = {
  runId: string;
  jobTitle: string;
  statusLabel: string;
  when: string;
  /** The run's code as read (runCodeText): "1", "HTTP 500" or "—". */
  code: string;
  message: string | null;
  stderr: string | null;
};

type Labels = { title: string; message: string; stderr: string; noStderr: string; code: string; open: string; close: string };

/** A failed run's status chip that opens its error detail (seed 000's modal) when clicked. */
export function ErrorDetailChip({ detail, labels }: { detail: ErrorDetail; labels: Labels }) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <button type="button" className="rounded-full focus-visible:outline-2 focus-visible:outline-accent" aria-haspopup="dialog">
          <Chip tone="danger" className="cursor-pointer underline decoration-dotted underline-offset-2">
            {detail.statusLabel}
          </Chip>
        </button>
      </DialogTrigger>
      <DialogContent title={`${labels.title}: ${detail.jobTitle}`} description={detail.when} wide>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted">{labels.code}</dt>
          <dd>{detail.code}</dd>
          <dt className="text-muted">{labels.message}</dt>
          <dd className="break-words">{detail.message ?? "—"}</dd>
        </dl>
        <h3 className="mt-4 text-sm font-semibold">{labels.stderr}</h3>
        {detail.stderr ? (
          <pre tabIndex={0} className="mt-1 max-h-96 overflow-auto rounded-card bg-sidebar p-3 font-mono text-xs text-sidebar-text whitespace-pre-wrap">
            {detail.stderr}
          </pre>
        ) : (
          <p className="mt-1 text-sm text-muted">{labels.noStderr}</p>
        )}
        <div className="mt-4 flex justify-end gap-2">
          <Link href={`/runs/${detail.runId}`} className={buttonClass("secondary")}>
            {labels.open}
          </Link>
          <DialogClose asChild>
            <Button type="button">{labels.close}</Button>
          </DialogClose>
        </div>
      </DialogContent>
    </Dialog>
  );
}
