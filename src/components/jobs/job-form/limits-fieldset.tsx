"use client";

import { Field, Options, SelectField } from "@/components/ui/field";
import { useT } from "@/lib/i18n/client";
import type { JobFormDefaults } from "@/server/jobs/form-defaults";
import { JobFieldset, type FieldsetProps } from "./fieldset";

const CONCURRENCY_POLICIES: readonly JobFormDefaults["concurrencyPolicy"][] = ["allow", "forbid", "replace"];

/** How long a run may take, how often it is retried, whether runs may overlap, and whether the job runs at all. */
export function LimitsFieldset({ defaults, errors }: FieldsetProps) {
  const t = useT();
  return (
    <JobFieldset legend={t("form.legend.limits")} className="grid gap-4 sm:grid-cols-3">
      <Field label={t("form.timeout")} name="timeoutSeconds" error={errors.timeoutSeconds} inputMode="numeric" defaultValue={defaults.timeoutSeconds} />
      <Field label={t("form.retries")} name="maxRetries" error={errors.maxRetries} inputMode="numeric" defaultValue={defaults.maxRetries} />
      <SelectField label={t("form.concurrency")} name="concurrencyPolicy" defaultValue={defaults.concurrencyPolicy}>
        <Options choices={CONCURRENCY_POLICIES.map((value) => ({ value, label: t(`form.concurrency.${value}`) }))} />
      </SelectField>
      <label className="flex items-center gap-2 text-sm sm:col-span-3">
        <input type="checkbox" name="enabled" defaultChecked={defaults.enabled} /> {t("form.enabled")}
      </label>
    </JobFieldset>
  );
}
