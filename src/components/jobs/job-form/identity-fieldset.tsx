"use client";

import { Field, Options, SelectField, TextAreaField } from "@/components/ui/field";
import { useT } from "@/lib/i18n/client";
import { JOB_KINDS, type JobKind } from "@/server/jobs/health";
import { JobFieldset, type FieldsetProps } from "./fieldset";

/** What the job is called, its key, and how it runs: the kind decides which target fields follow. */
export function IdentityFieldset({ defaults, errors, kind, onKindChange }: FieldsetProps & { kind: JobKind; onKindChange: (kind: JobKind) => void }) {
  const t = useT();
  return (
    <JobFieldset legend={t("form.legend.job")} className="grid gap-4 sm:grid-cols-2">
      <Field label={t("form.title")} name="title" error={errors.title} defaultValue={defaults.title} />
      <Field label={t("form.key")} name="jobKey" error={errors.jobKey} hint={t("form.keyHint")} mono defaultValue={defaults.jobKey} />
      <TextAreaField label={t("form.description")} name="description" error={errors.description} className="sm:col-span-2" rows={2} defaultValue={defaults.description} />
      <SelectField label={t("form.kind")} name="kind" error={errors.kind} value={kind} onChange={(event) => onKindChange(event.target.value as JobKind)}>
        <Options choices={JOB_KINDS.map((value) => ({ value, label: t(`form.kind.${value}`) }))} />
      </SelectField>
    </JobFieldset>
  );
}
