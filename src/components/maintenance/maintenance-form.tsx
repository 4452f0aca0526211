"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, inputClass, invalidProps } from "@/components/ui/form-field";
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
  const invalid = (name: string) => invalidProps(errors, name);
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
      <FormField label={t("maintenance.titleField")} name="title" error={errors.title}>
        <input id="title" name="title" className={inputClass} placeholder={t("maintenance.titlePlaceholder")} {...invalid("title")} />
      </FormField>
      <FormField label={t("maintenance.scope")} name="jobId" error={errors.jobId}>
        <select id="jobId" name="jobId" defaultValue={jobId ?? ""} className={inputClass} {...invalid("jobId")}>
          <option value="">{t("maintenance.wholeWorkspace")}</option>
          {jobs.map((job) => (
            <option key={job.id} value={job.id}>
              {job.title}
            </option>
          ))}
        </select>
      </FormField>
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
          <FormField label={t("maintenance.startsAt")} name="startsAt" error={errors.startsAt}>
            <input id="startsAt" name="startsAt" type="datetime-local" className={inputClass} {...invalid("startsAt")} />
          </FormField>
          <FormField label={t("maintenance.endsAt")} name="endsAt" error={errors.endsAt}>
            <input id="endsAt" name="endsAt" type="datetime-local" className={inputClass} {...invalid("endsAt")} />
          </FormField>
        </>
      ) : (
        <>
          <FormField label={t("maintenance.cron")} name="cron" error={errors.cron} hint={t("maintenance.cronHint")}>
            <input id="cron" name="cron" className={`${inputClass} font-mono`} placeholder="0 3 * * *" {...invalid("cron")} />
          </FormField>
          <FormField label={t("maintenance.durationMinutes")} name="durationMinutes" error={errors.durationMinutes}>
            <input id="durationMinutes" name="durationMinutes" inputMode="numeric" className={inputClass} {...invalid("durationMinutes")} />
          </FormField>
        </>
      )}
      <FormField label={t("maintenance.timezone")} name="timezone" error={errors.timezone} hint={t("maintenance.timezoneHint")}>
        <input id="timezone" name="timezone" list={TIMEZONE_LIST} autoComplete="off" defaultValue={timezone} className={inputClass} {...invalid("timezone")} />
        <TimezoneOptions />
      </FormField>
      <div className="flex items-end">
        <Button type="submit" disabled={isPending}>
          {t("maintenance.create")}
        </Button>
      </div>
    </form>
  );
}
