"use client";

import type { ReactNode } from "react";
import { Field, Options, SelectField, TextAreaField } from "@/components/ui/field";
import { useT } from "@/lib/i18n/client";
import type { JobKind } from "@/server/jobs/health";
import { JobFieldset, type FieldsetProps } from "./fieldset";

const HTTP_METHODS = ["POST", "GET", "PUT", "PATCH", "DELETE"];

export type TaskChoice = { name: string; description: string };

/** What the job calls or waits for: an HTTP request, a task in this codebase, or an agent's label. */
export function TargetFieldset({
  defaults,
  errors,
  kind,
  tasks,
  isLoopbackAllowed,
}: FieldsetProps & { kind: JobKind; tasks: TaskChoice[]; isLoopbackAllowed: boolean }) {
  const t = useT();
  return (
    <>
      <KindFieldset kind="http" current={kind} legend={t("form.legend.http")} className="grid gap-4 sm:grid-cols-[8rem_1fr]">
        {isLoopbackAllowed ? <p className="text-xs text-muted sm:col-span-2">{t("form.loopbackAllowed")}</p> : null}
        <SelectField label={t("form.method")} name="httpMethod" defaultValue={defaults.httpMethod}>
          <Options choices={HTTP_METHODS.map((method) => ({ value: method, label: method }))} />
        </SelectField>
        <Field label={t("form.url")} name="httpUrl" error={errors.httpUrl} hint={t("form.urlHint")} mono defaultValue={defaults.httpUrl} />
        <TextAreaField label={t("form.headers")} name="httpHeaders" error={errors.httpHeaders} hint={t("form.headersHint")} mono className="sm:col-span-2" rows={2} defaultValue={defaults.httpHeaders} />
      </KindFieldset>
      <KindFieldset kind="task" current={kind}>
        <SelectField label={t("form.task")} name="taskName" error={errors.taskName} defaultValue={defaults.taskName}>
          <option value="">{t("form.chooseTask")}</option>
          <Options choices={tasks.map((task) => ({ value: task.name, label: `${task.name} — ${task.description}` }))} />
        </SelectField>
      </KindFieldset>
      <KindFieldset kind="agent" current={kind}>
        <Field label={t("form.agentLabel")} name="agentLabel" error={errors.agentLabel} hint={t("form.agentLabelHint")} mono defaultValue={defaults.agentLabel} />
      </KindFieldset>
    </>
  );
}

/**
 * The fields of one kind of job. Hidden and disabled rather than unmounted: switching "Runs as"
 * back and forth keeps what was typed, and a disabled fieldset's fields are not submitted.
 */
function KindFieldset({ kind, current, legend, className, children }: { kind: JobKind; current: JobKind; legend?: string; className?: string; children: ReactNode }) {
  const isShown = kind === current;
  return (
    <JobFieldset legend={legend} hidden={!isShown} disabled={!isShown} className={isShown ? className : "hidden"}>
      {children}
    </JobFieldset>
  );
}
