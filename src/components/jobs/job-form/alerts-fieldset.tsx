"use client";

import { Field, Options, SelectField } from "@/components/ui/field";
import { SlackWebhookField } from "@/components/ui/slack-webhook-field";
import { useT } from "@/lib/i18n/client";
import type { JobFormDefaults } from "@/server/jobs/form-defaults";
import { JobFieldset, type FieldsetProps } from "./fieldset";

/**
 * The alert rules: when an incident opens and resolves, when a run is stalled, too fast or too
 * slow, and how often to remind. Each is a number with its hint, named alike in the form, the
 * schema and the messages.
 */
const RULES = [
  "failureThreshold",
  "recoveryThreshold",
  "stallMinutes",
  "minDurationSeconds",
  "maxDurationSeconds",
  "slowP95Factor",
  "slowP95Runs",
  "reminderHours",
] as const satisfies readonly (keyof JobFormDefaults)[];

const NOTIFY_POLICIES: readonly JobFormDefaults["notifyPolicy"][] = ["failures_and_recoveries", "every_run", "never"];

/** What makes an incident and who hears of it: the rules, the notification policy and the job's own Slack webhook. */
export function AlertsFieldset({ defaults, errors }: FieldsetProps) {
  const t = useT();
  return (
    <JobFieldset legend={t("form.legend.alerts")} className="grid gap-4 sm:grid-cols-2">
      {RULES.map((rule) => (
        <Field
          key={rule}
          label={t(`form.${rule}`)}
          name={rule}
          error={errors[rule]}
          hint={t(`form.${rule}Hint`)}
          // The p95 factor is the one rule with a fraction (1.5 ×).
          inputMode={rule === "slowP95Factor" ? "decimal" : "numeric"}
          defaultValue={defaults[rule]}
        />
      ))}
      <SelectField label={t("form.notify")} name="notifyPolicy" defaultValue={defaults.notifyPolicy}>
        <Options choices={NOTIFY_POLICIES.map((value) => ({ value, label: t(`form.notify.${value}`) }))} />
      </SelectField>
      <SlackWebhookField
        label={t("form.jobWebhook")}
        error={errors.slackWebhookUrl}
        hint={defaults.hasSlackWebhook ? t("form.jobWebhookSet") : t("form.jobWebhookBlank")}
      />
      {defaults.hasSlackWebhook ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="clearSlackWebhook" /> {t("form.removeWebhook")}
        </label>
      ) : null}
    </JobFieldset>
  );
}
