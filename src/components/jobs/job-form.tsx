"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormErrors } from "@/components/ui/form-errors";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { saveJobAction } from "@/server/jobs/actions";
import type { JobFormDefaults } from "@/server/jobs/form-defaults";
import { AlertsFieldset } from "./job-form/alerts-fieldset";
import { IdentityFieldset } from "./job-form/identity-fieldset";
import { LimitsFieldset } from "./job-form/limits-fieldset";
import { ParamsFieldset } from "./job-form/params-fieldset";
import { ScheduleFieldset } from "./job-form/schedule-fieldset";
import { TargetFieldset, type TaskChoice } from "./job-form/target-fieldset";

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
  tasks: TaskChoice[];
  workspaceTimezone: string;
  /** When the page was rendered: the schedule preview counts from here. */
  now: string;
}) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(saveJobAction, {});
  // The kind decides which target fields are sent, and whether a schema may be typed.
  const [kind, setKind] = useState(defaults.kind);
  const fieldset = { defaults, errors: state.fieldErrors ?? {} };

  return (
    <form ref={formRef} onSubmit={onSubmit} className="max-w-3xl space-y-6" noValidate>
      <FormErrors state={state} />
      {defaults.jobId ? <input type="hidden" name="jobId" value={defaults.jobId} /> : null}
      <IdentityFieldset {...fieldset} kind={kind} onKindChange={setKind} />
      <TargetFieldset {...fieldset} kind={kind} tasks={tasks} isLoopbackAllowed={isLoopbackAllowed} />
      <ScheduleFieldset {...fieldset} workspaceTimezone={workspaceTimezone} now={now} />
      <LimitsFieldset {...fieldset} />
      <AlertsFieldset {...fieldset} />
      <ParamsFieldset {...fieldset} kind={kind} />
      <Button type="submit" disabled={isPending}>
        {defaults.jobId ? t("form.save") : t("form.create")}
      </Button>
    </form>
  );
}
