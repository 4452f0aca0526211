"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { deleteWorkspaceAction, saveSlackWebhookAction, saveWorkspaceSettingsAction, sendSlackTestAction } from "@/server/settings/actions";
import { SettingField, inputClass, invalidProps } from "./field";

export function WorkspaceSettingsForm({
  defaults,
}: {
  defaults: { name: string; timezone: string; retentionDays: number; defaultGraceSeconds: number };
}) {
  const { state, onSubmit, isPending } = useFormAction(saveWorkspaceSettingsAction, {});
  const errors = state.fieldErrors;
  return (
    <form onSubmit={onSubmit} noValidate className="grid max-w-2xl gap-4 sm:grid-cols-2">
      {state.error ? <div className="sm:col-span-2"><Alert>{state.error}</Alert></div> : null}
      {state.ok ? <div className="sm:col-span-2"><Alert tone="info">Settings saved.</Alert></div> : null}
      <SettingField label="Workspace name" name="name" error={errors?.name}>
        <input id="name" name="name" defaultValue={defaults.name} className={inputClass} {...invalidProps(errors, "name")} />
      </SettingField>
      <SettingField label="Timezone" name="timezone" error={errors?.timezone} hint="Dates, runs by day and cron schedules use it.">
        <input id="timezone" name="timezone" defaultValue={defaults.timezone} className={inputClass} {...invalidProps(errors, "timezone")} />
      </SettingField>
      <SettingField label="Log retention (days)" name="retentionDays" error={errors?.retentionDays} hint="Logs and stderr older than this are dropped; runs stay.">
        <input id="retentionDays" name="retentionDays" inputMode="numeric" defaultValue={defaults.retentionDays} className={inputClass} {...invalidProps(errors, "retentionDays")} />
      </SettingField>
      <SettingField label="Default grace (seconds)" name="defaultGraceSeconds" error={errors?.defaultGraceSeconds} hint="How late a scheduled job may be before it counts as missed.">
        <input id="defaultGraceSeconds" name="defaultGraceSeconds" inputMode="numeric" defaultValue={defaults.defaultGraceSeconds} className={inputClass} {...invalidProps(errors, "defaultGraceSeconds")} />
      </SettingField>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={isPending}>Save settings</Button>
      </div>
    </form>
  );
}

/** Write-only: the saved URL comes back masked, never in full. */
export function SlackWebhookForm({ masked }: { masked: string | null }) {
  const save = useFormAction(saveSlackWebhookAction, {});
  const test = useFormAction(sendSlackTestAction, {});
  const errors = save.state.fieldErrors;
  return (
    <div className="max-w-2xl space-y-3">
      <p className="text-sm">
        Current webhook:{" "}
        <span data-testid="slack-webhook-masked" className="font-mono">{masked ?? "none"}</span>
      </p>
      <form onSubmit={save.onSubmit} noValidate className="space-y-3">
        {save.state.error ? <Alert>{save.state.error}</Alert> : null}
        {save.state.ok ? <Alert tone="info">Slack webhook saved.</Alert> : null}
        <SettingField label="Slack incoming webhook URL" name="slackWebhookUrl" error={errors?.slackWebhookUrl} hint="Failures, missed runs and recoveries are posted here unless a job has its own.">
          <input id="slackWebhookUrl" name="slackWebhookUrl" type="url" autoComplete="off" placeholder="https://hooks.slack.com/services/…" className={inputClass} {...invalidProps(errors, "slackWebhookUrl")} />
        </SettingField>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={save.isPending}>Save webhook</Button>
          {masked ? (
            <Button type="submit" name="clear" value="1" variant="secondary" disabled={save.isPending}>
              Remove webhook
            </Button>
          ) : null}
        </div>
      </form>
      {masked ? (
        <form onSubmit={test.onSubmit} className="flex items-center gap-3">
          <Button type="submit" variant="secondary" disabled={test.isPending}>Send test message</Button>
          {test.state.ok ? <span role="status" className="text-sm">Sent. Check the channel.</span> : null}
          {test.state.error ? <span role="alert" className="text-sm text-danger">{test.state.error}</span> : null}
        </form>
      ) : null}
    </div>
  );
}

export function DeleteWorkspaceForm({ slug }: { slug: string }) {
  const { state, onSubmit, isPending } = useFormAction(deleteWorkspaceAction, {});
  const errors = state.fieldErrors;
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl space-y-3">
      <p className="text-sm">
        Deletes every job, run, incident, key and audit entry of this workspace, for every member. It cannot be undone.
      </p>
      {state.error && !errors ? <Alert>{state.error}</Alert> : null}
      <SettingField label={`Type ${slug} to confirm`} name="confirmSlug" error={errors?.confirmSlug}>
        <input id="confirmSlug" name="confirmSlug" autoComplete="off" className={inputClass} {...invalidProps(errors, "confirmSlug")} />
      </SettingField>
      <Button type="submit" disabled={isPending} className="bg-danger text-white">
        Delete workspace
      </Button>
    </form>
  );
}
