"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Options, SelectField } from "@/components/ui/field";
import { TIMEZONE_LIST, TimezoneOptions } from "@/components/ui/timezone-options";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { createMaintenanceWindowAction } from "@/server/maintenance/actions";

type JobChoice = { id: string; title: string };

/** Plans a window: once (from, to) or recurring (cron, length), for a job or the whole workspace. */
export function MaintenanceForm({ jobs, timezone, jobId }: { jobs: JobChoice[]; timezone: string; jobId?: string }) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(createMaintenanceWindowAction, {}, { resetOnSuccess: true });
  const [kind, setKind] = useState<"once" | "recurring">("once");
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={t("maintenance.plan")} className="grid max-w-3xl gap-4 sm:grid-cols-2">
      {state.error ? (
        <div className="sm:col-span-2">
          <Alert>{state.error}</Alert>
        </div>
      ) : null}
      {state.ok ? (
        <p role="status" className="text-sm text-success sm:col-span-2">
          {t("maintenance.planned")}
        </p>
      ) : null}
      <Field label={t("maintenance.titleField")} name="title" error={errors.title} placeholder={t("maintenance.titlePlaceholder")} />
      <SelectField label={t("maintenance.scope")} name="jobId" error={errors.jobId} defaultValue={jobId ?? ""}>
        <option value="">{t("maintenance.wholeWorkspace")}</option>
        <Options choices={jobs.map((job) => ({ value: job.id, label: job.title }))} />
      </SelectField>
      <fieldset className="flex gap-4 text-sm sm:col-span-2">
        <legend className="mb-1 font-medium">{t("maintenance.kind")}</legend>
        {(["once", "recurring"] as const).map((value) => (
          <label key={value} className="flex items-center gap-2">
            <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} /> {t(`maintenance.kind.${value}`)}
          </label>
        ))}
      </fieldset>
      {kind === "once" ? (
        <>
          <Field label={t("maintenance.startsAt")} name="startsAt" error={errors.startsAt} type="datetime-local" />
          <Field label={t("maintenance.endsAt")} name="endsAt" error={errors.endsAt} type="datetime-local" />
        </>
      ) : (
        <>
          <Field label={t("maintenance.cron")} name="cron" error={errors.cron} hint={t("maintenance.cronHint")} mono placeholder="0 3 * * *" />
          <Field label={t("maintenance.durationMinutes")} name="durationMinutes" error={errors.durationMinutes} inputMode="numeric" />
        </>
      )}
      <Field label={t("maintenance.timezone")} name="timezone" error={errors.timezone} hint={t("maintenance.timezoneHint")} list={TIMEZONE_LIST} autoComplete="off" defaultValue={timezone} />
      <TimezoneOptions />
      <div className="flex items-end">
        <Button type="submit" disabled={isPending}>
          {t("maintenance.create")}
        </Button>
      </div>
    </form>
  );
}
