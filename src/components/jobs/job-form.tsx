"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormErrors } from "@/components/ui/form-errors";
import { FormField, inputClass, invalidProps } from "@/components/ui/form-field";
import { TIMEZONE_LIST, TimezoneOptions } from "@/components/ui/timezone-options";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { saveJobAction } from "@/server/jobs/actions";
import { SchedulePreview } from "./schedule-preview";

type RuleField =
  | "failureThreshold"
  | "recoveryThreshold"
  | "stallMinutes"
  | "minDurationSeconds"
  | "maxDurationSeconds"
  | "slowP95Factor"
  | "slowP95Runs"
  | "reminderHours";

export type JobFormDefaults = {
  jobId?: string;
  jobKey: string;
  title: string;
  description: string;
  kind: "reported" | "http" | "task" | "agent";
  agentLabel: string;
  httpMethod: string;
  httpUrl: string;
  httpHeaders: string;
  taskName: string;
  scheduleType: "none" | "cron" | "period";
  cron: string;
  timezone: string;
  periodSeconds: string;
  graceSeconds: string;
  timeoutSeconds: string;
  maxRetries: string;
  failureThreshold: string;
  recoveryThreshold: string;
  reminderHours: string;
  stallMinutes: string;
  minDurationSeconds: string;
  maxDurationSeconds: string;
  slowP95Factor: string;
  slowP95Runs: string;
  concurrencyPolicy: string;
  enabled: boolean;
  notifyPolicy: string;
  paramsSchema: string;
  defaultParams: string;
  hasSlackWebhook: boolean;
};


/** Create or edit a job: how it runs, its schedule (previewed), limits, alerts and parameters. */
export function JobForm({
  defaults,
  tasks,
  workspaceTimezone,
  now,
  isLoopbackAllowed = false,
}: {
  defaults: JobFormDefaults;
  /** The embedded development default lets HTTP jobs call this machine: say so. */
  isLoopbackAllowed?: boolean;
  tasks: Array<{ name: string; description: string }>;
  workspaceTimezone: string;
  /** When the page was rendered: the schedule preview counts from here. */
  now: string;
}) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(saveJobAction, {});
  const [kind, setKind] = useState(defaults.kind);
  const [scheduleType, setScheduleType] = useState(defaults.scheduleType);
  const [cron, setCron] = useState(defaults.cron);
  const [timezone, setTimezone] = useState(defaults.timezone);
  const [periodSeconds, setPeriodSeconds] = useState(defaults.periodSeconds);
  const errors = state.fieldErrors ?? {};
  const invalid = (name: string) => invalidProps(errors, name);
  /** The alert rules: each a number with its hint, named alike in the form, the schema and the messages. */
  const ruleField = (name: RuleField, inputMode: "numeric" | "decimal" = "numeric") => (
    <FormField label={t(`form.${name}`)} name={name} error={errors[name]} hint={t(`form.${name}Hint`)}>
      <input id={name} name={name} inputMode={inputMode} defaultValue={defaults[name]} className={inputClass} {...invalid(name)} />
    </FormField>
  );

  return (
    <form ref={formRef} onSubmit={onSubmit} className="max-w-3xl space-y-6" noValidate>
      <FormErrors state={state} />
      {defaults.jobId ? <input type="hidden" name="jobId" value={defaults.jobId} /> : null}

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-muted">{t("form.legend.job")}</legend>
        <FormField label={t("form.title")} name="title" error={errors.title}>
          <input id="title" name="title" defaultValue={defaults.title} className={inputClass} {...invalid("title")} />
        </FormField>
        <FormField label={t("form.key")} name="jobKey" error={errors.jobKey} hint={t("form.keyHint")}>
          <input id="jobKey" name="jobKey" defaultValue={defaults.jobKey} className={`${inputClass} font-mono`} {...invalid("jobKey")} />
        </FormField>
        <div className="sm:col-span-2">
          <FormField label={t("form.description")} name="description" error={errors.description}>
            <textarea id="description" name="description" defaultValue={defaults.description} rows={2} className={inputClass} />
          </FormField>
        </div>
        <FormField label={t("form.kind")} name="kind" error={errors.kind}>
          <select id="kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} className={inputClass}>
            <option value="reported">{t("form.kind.reported")}</option>
            <option value="http">{t("form.kind.http")}</option>
            <option value="task">{t("form.kind.task")}</option>
            <option value="agent">{t("form.kind.agent")}</option>
          </select>
        </FormField>
      </fieldset>

      {/* Hidden and disabled rather than unmounted: switching "Runs as" back and forth keeps what
          was typed, and a disabled fieldset's fields are not submitted. */}
      <fieldset hidden={kind !== "http"} disabled={kind !== "http"} className={kind === "http" ? "grid gap-4 sm:grid-cols-[8rem_1fr]" : "hidden"}>
          <legend className="mb-2 text-sm font-semibold text-muted">{t("form.legend.http")}</legend>
          {isLoopbackAllowed ? <p className="text-xs text-muted sm:col-span-2">{t("form.loopbackAllowed")}</p> : null}
          <FormField label={t("form.method")} name="httpMethod">
            <select id="httpMethod" name="httpMethod" defaultValue={defaults.httpMethod} className={inputClass}>
              {["POST", "GET", "PUT", "PATCH", "DELETE"].map((method) => (
                <option key={method}>{method}</option>
              ))}
            </select>
          </FormField>
          <FormField label={t("form.url")} name="httpUrl" error={errors.httpUrl} hint={t("form.urlHint")}>
            <input id="httpUrl" name="httpUrl" defaultValue={defaults.httpUrl} className={`${inputClass} font-mono`} {...invalid("httpUrl")} />
          </FormField>
          <div className="sm:col-span-2">
            <FormField label={t("form.headers")} name="httpHeaders" error={errors.httpHeaders} hint={t("form.headersHint")}>
              <textarea id="httpHeaders" name="httpHeaders" defaultValue={defaults.httpHeaders} rows={2} className={`${inputClass} font-mono`} {...invalid("httpHeaders")} />
            </FormField>
          </div>
      </fieldset>

      <fieldset hidden={kind !== "task"} disabled={kind !== "task"}>
        <FormField label={t("form.task")} name="taskName" error={errors.taskName}>
          <select id="taskName" name="taskName" defaultValue={defaults.taskName} className={inputClass} {...invalid("taskName")}>
            <option value="">{t("form.chooseTask")}</option>
            {tasks.map((task) => (
              <option key={task.name} value={task.name}>
                {task.name} — {task.description}
              </option>
            ))}
          </select>
        </FormField>
      </fieldset>

      <fieldset hidden={kind !== "agent"} disabled={kind !== "agent"}>
        <FormField label={t("form.agentLabel")} name="agentLabel" error={errors.agentLabel} hint={t("form.agentLabelHint")}>
          <input id="agentLabel" name="agentLabel" defaultValue={defaults.agentLabel} className={`${inputClass} font-mono`} {...invalid("agentLabel")} />
        </FormField>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-muted">{t("form.legend.schedule")}</legend>
        <FormField label={t("form.scheduleType")} name="scheduleType">
          <select id="scheduleType" name="scheduleType" value={scheduleType} onChange={(e) => setScheduleType(e.target.value as typeof scheduleType)} className={inputClass}>
            <option value="none">{t("form.schedule.none")}</option>
            <option value="cron">{t("form.schedule.cron")}</option>
            <option value="period">{t("form.schedule.period")}</option>
          </select>
        </FormField>
        {scheduleType === "cron" ? (
          <>
            <FormField label={t("form.cron")} name="cron" error={errors.cron} hint={t("form.cronHint")}>
              <input id="cron" name="cron" value={cron} onChange={(e) => setCron(e.target.value)} className={`${inputClass} font-mono`} {...invalid("cron")} />
            </FormField>
            <FormField label={t("form.timezone")} name="timezone" error={errors.timezone}>
              <input id="timezone" name="timezone" list={TIMEZONE_LIST} autoComplete="off" value={timezone} onChange={(e) => setTimezone(e.target.value)} className={inputClass} {...invalid("timezone")} />
              <TimezoneOptions />
            </FormField>
          </>
        ) : null}
        {scheduleType === "period" ? (
          <FormField label={t("form.period")} name="periodSeconds" error={errors.periodSeconds}>
            <input id="periodSeconds" name="periodSeconds" inputMode="numeric" value={periodSeconds} onChange={(e) => setPeriodSeconds(e.target.value)} className={inputClass} {...invalid("periodSeconds")} />
          </FormField>
        ) : null}
        {scheduleType !== "none" ? (
          <div className="sm:col-span-2">
            <SchedulePreview cron={scheduleType === "cron" ? cron : ""} timezone={timezone} periodSeconds={scheduleType === "period" ? periodSeconds : ""} workspaceTimezone={workspaceTimezone} now={now} />
          </div>
        ) : null}
        <FormField label={t("form.grace")} name="graceSeconds" error={errors.graceSeconds} hint={t("form.graceHint")}>
          <input id="graceSeconds" name="graceSeconds" inputMode="numeric" defaultValue={defaults.graceSeconds} className={inputClass} {...invalid("graceSeconds")} />
        </FormField>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold text-muted">{t("form.legend.limits")}</legend>
        <FormField label={t("form.timeout")} name="timeoutSeconds" error={errors.timeoutSeconds}>
          <input id="timeoutSeconds" name="timeoutSeconds" inputMode="numeric" defaultValue={defaults.timeoutSeconds} className={inputClass} {...invalid("timeoutSeconds")} />
        </FormField>
        <FormField label={t("form.retries")} name="maxRetries" error={errors.maxRetries}>
          <input id="maxRetries" name="maxRetries" inputMode="numeric" defaultValue={defaults.maxRetries} className={inputClass} {...invalid("maxRetries")} />
        </FormField>
        <FormField label={t("form.concurrency")} name="concurrencyPolicy">
          <select id="concurrencyPolicy" name="concurrencyPolicy" defaultValue={defaults.concurrencyPolicy} className={inputClass}>
            <option value="allow">{t("form.concurrency.allow")}</option>
            <option value="forbid">{t("form.concurrency.forbid")}</option>
            <option value="replace">{t("form.concurrency.replace")}</option>
          </select>
        </FormField>
        <label className="flex items-center gap-2 text-sm sm:col-span-3">
          <input type="checkbox" name="enabled" defaultChecked={defaults.enabled} /> {t("form.enabled")}
        </label>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-muted">{t("form.legend.alerts")}</legend>
        {ruleField("failureThreshold")}
        {ruleField("recoveryThreshold")}
        {ruleField("stallMinutes")}
        {ruleField("minDurationSeconds")}
        {ruleField("maxDurationSeconds")}
        {ruleField("slowP95Factor", "decimal")}
        {ruleField("slowP95Runs")}
        {ruleField("reminderHours")}
        <FormField label={t("form.notify")} name="notifyPolicy">
          <select id="notifyPolicy" name="notifyPolicy" defaultValue={defaults.notifyPolicy} className={inputClass}>
            <option value="failures_and_recoveries">{t("form.notify.failures_and_recoveries")}</option>
            <option value="every_run">{t("form.notify.every_run")}</option>
            <option value="never">{t("form.notify.never")}</option>
          </select>
        </FormField>
        <FormField
          label={t("form.jobWebhook")}
          name="slackWebhookUrl"
          error={errors.slackWebhookUrl}
          hint={defaults.hasSlackWebhook ? t("form.jobWebhookSet") : t("form.jobWebhookBlank")}
        >
          <input id="slackWebhookUrl" name="slackWebhookUrl" type="url" autoComplete="off" placeholder="https://hooks.slack.com/services/…" className={inputClass} {...invalid("slackWebhookUrl")} />
        </FormField>
        {defaults.hasSlackWebhook ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="clearSlackWebhook" /> {t("form.removeWebhook")}
          </label>
        ) : null}
      </fieldset>

      <fieldset className="grid gap-4">
        <legend className="mb-2 text-sm font-semibold text-muted">{t("form.legend.params")}</legend>
        {kind !== "task" ? (
          <FormField label={t("form.paramsSchema")} name="paramsSchema" error={errors.paramsSchema}>
            <textarea id="paramsSchema" name="paramsSchema" defaultValue={defaults.paramsSchema} rows={4} spellCheck={false} className={`${inputClass} font-mono`} {...invalid("paramsSchema")} />
          </FormField>
        ) : (
          <p className="text-sm text-muted">{t("form.taskSchemaNote")}</p>
        )}
        <FormField label={t("form.defaultParams")} name="defaultParams" error={errors.defaultParams} hint={t("form.defaultParamsHint")}>
          <textarea id="defaultParams" name="defaultParams" defaultValue={defaults.defaultParams} rows={4} spellCheck={false} className={`${inputClass} font-mono`} {...invalid("defaultParams")} />
        </FormField>
      </fieldset>

      <Button type="submit" disabled={isPending}>
        {defaults.jobId ? t("form.save") : t("form.create")}
      </Button>
    </form>
  );
}
