"use client";

import { useState } from "react";
import { Field, Options, SelectField } from "@/components/ui/field";
import { TIMEZONE_LIST, TimezoneOptions } from "@/components/ui/timezone-options";
import { useT } from "@/lib/i18n/client";
import type { JobFormDefaults } from "@/server/jobs/form-defaults";
import { SchedulePreview } from "../schedule-preview";
import { JobFieldset, type FieldsetProps } from "./fieldset";

type ScheduleType = JobFormDefaults["scheduleType"];
const SCHEDULE_TYPES: readonly ScheduleType[] = ["none", "cron", "period"];

/** When the job should run, previewed as it is typed, and how late it may be before it is missed. */
export function ScheduleFieldset({ defaults, errors, workspaceTimezone, now }: FieldsetProps & { workspaceTimezone: string; now: string }) {
  const t = useT();
  // Controlled, because the preview follows every keystroke.
  const [scheduleType, setScheduleType] = useState(defaults.scheduleType);
  const [cron, setCron] = useState(defaults.cron);
  const [timezone, setTimezone] = useState(defaults.timezone);
  const [periodSeconds, setPeriodSeconds] = useState(defaults.periodSeconds);
  return (
    <JobFieldset legend={t("form.legend.schedule")} className="grid gap-4 sm:grid-cols-2">
      <SelectField label={t("form.scheduleType")} name="scheduleType" value={scheduleType} onChange={(event) => setScheduleType(event.target.value as ScheduleType)}>
        <Options choices={SCHEDULE_TYPES.map((value) => ({ value, label: t(`form.schedule.${value}`) }))} />
      </SelectField>
      {scheduleType === "cron" ? (
        <>
          <Field label={t("form.cron")} name="cron" error={errors.cron} hint={t("form.cronHint")} mono value={cron} onChange={(event) => setCron(event.target.value)} />
          <Field label={t("form.timezone")} name="timezone" error={errors.timezone} list={TIMEZONE_LIST} autoComplete="off" value={timezone} onChange={(event) => setTimezone(event.target.value)} />
          <TimezoneOptions />
        </>
      ) : null}
      {scheduleType === "period" ? (
        <Field label={t("form.period")} name="periodSeconds" error={errors.periodSeconds} inputMode="numeric" value={periodSeconds} onChange={(event) => setPeriodSeconds(event.target.value)} />
      ) : null}
      {scheduleType !== "none" ? (
        <div className="sm:col-span-2">
          <SchedulePreview
            cron={scheduleType === "cron" ? cron : ""}
            timezone={timezone}
            periodSeconds={scheduleType === "period" ? periodSeconds : ""}
            workspaceTimezone={workspaceTimezone}
            now={now}
          />
        </div>
      ) : null}
      <Field label={t("form.grace")} name="graceSeconds" error={errors.graceSeconds} hint={t("form.graceHint")} inputMode="numeric" defaultValue={defaults.graceSeconds} />
    </JobFieldset>
  );
}
