"use client";

import { TextAreaField } from "@/components/ui/field";
import { useT } from "@/lib/i18n/client";
import type { JobKind } from "@/server/jobs/health";
import { JobFieldset, type FieldsetProps } from "./fieldset";

/** The parameters a run takes: their JSON Schema (a task's comes from its code) and the defaults a run starts from. */
export function ParamsFieldset({ defaults, errors, kind }: FieldsetProps & { kind: JobKind }) {
  const t = useT();
  return (
    <JobFieldset legend={t("form.legend.params")} className="grid gap-4">
      {kind !== "task" ? (
        <TextAreaField label={t("form.paramsSchema")} name="paramsSchema" error={errors.paramsSchema} mono rows={4} spellCheck={false} defaultValue={defaults.paramsSchema} />
      ) : (
        <p className="text-sm text-muted">{t("form.taskSchemaNote")}</p>
      )}
      <TextAreaField label={t("form.defaultParams")} name="defaultParams" error={errors.defaultParams} hint={t("form.defaultParamsHint")} mono rows={4} spellCheck={false} defaultValue={defaults.defaultParams} />
    </JobFieldset>
  );
}
