"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { saveHttpSecretAction } from "@/server/secrets/actions";
import { deleteWorkspaceAction, saveSlackWebhookAction, saveWorkspaceSettingsAction, sendSlackTestAction } from "@/server/settings/actions";
import { Field } from "@/components/ui/field";
import { SlackWebhookField } from "@/components/ui/slack-webhook-field";

export function WorkspaceSettingsForm({
  defaults,
}: {
  defaults: { name: string; timezone: string; retentionDays: number; runHistoryDays: number; defaultGraceSeconds: number };
}) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(saveWorkspaceSettingsAction, {});
  const errors = state.fieldErrors;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-2xl gap-4 sm:grid-cols-2">
      {state.error ? <div className="sm:col-span-2"><Alert>{state.error}</Alert></div> : null}
      {state.ok ? <div className="sm:col-span-2"><Alert tone="info">{t("settings.saved")}</Alert></div> : null}
      <Field label={t("settings.name")} name="name" error={errors?.name} defaultValue={defaults.name} />
      <Field label={t("settings.timezone")} name="timezone" error={errors?.timezone} hint={t("settings.timezoneHint")} defaultValue={defaults.timezone} />
      <Field label={t("settings.retention")} name="retentionDays" error={errors?.retentionDays} hint={t("settings.retentionHint")} inputMode="numeric" defaultValue={defaults.retentionDays} />
      <Field label={t("settings.runHistory")} name="runHistoryDays" error={errors?.runHistoryDays} hint={t("settings.runHistoryHint")} inputMode="numeric" defaultValue={defaults.runHistoryDays} />
      <Field label={t("settings.grace")} name="defaultGraceSeconds" error={errors?.defaultGraceSeconds} hint={t("settings.graceHint")} inputMode="numeric" defaultValue={defaults.defaultGraceSeconds} />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={isPending}>{t("settings.save")}</Button>
      </div>
    </form>
  );
}

/** Write-only: the saved URL comes back masked, never in full. */
export function SlackWebhookForm({ masked }: { masked: string | null }) {
  const t = useT();
  const { formRef: saveFormRef, ...save } = useFormAction(saveSlackWebhookAction, {});
  const test = useFormAction(sendSlackTestAction, {});
  const errors = save.state.fieldErrors;
  return (
    <div className="max-w-2xl space-y-3">
      <p className="text-sm">
        {t("slack.current")}{" "}
        <span data-testid="slack-webhook-masked" className="font-mono">{masked ?? t("slack.none")}</span>
      </p>
      <form ref={saveFormRef} onSubmit={save.onSubmit} noValidate className="space-y-3">
        {save.state.error ? <Alert>{save.state.error}</Alert> : null}
        {save.state.ok ? <Alert tone="info">{t("slack.saved")}</Alert> : null}
        <SlackWebhookField label={t("slack.url")} error={errors?.slackWebhookUrl} hint={t("slack.urlHint")} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={save.isPending}>{t("slack.save")}</Button>
          {masked ? (
            <Button type="submit" name="clear" value="1" variant="secondary" disabled={save.isPending}>
              {t("slack.remove")}
            </Button>
          ) : null}
        </div>
      </form>
      {masked ? (
        <form onSubmit={test.onSubmit} className="flex items-center gap-3">
          <Button type="submit" variant="secondary" disabled={test.isPending}>{t("slack.test")}</Button>
          {test.state.ok ? <span role="status" className="text-sm">{t("slack.sent")}</span> : null}
          {test.state.error ? <span role="alert" className="text-sm text-danger">{test.state.error}</span> : null}
        </form>
      ) : null}
    </div>
  );
}

export function DeleteWorkspaceForm({ slug }: { slug: string }) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(deleteWorkspaceAction, {});
  const errors = state.fieldErrors;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="max-w-2xl space-y-3">
      <p className="text-sm">
        {t("delete.warning")}
      </p>
      {state.error && !errors ? <Alert>{state.error}</Alert> : null}
      <Field label={t("delete.confirm", { slug })} name="confirmSlug" error={errors?.confirmSlug} autoComplete="off" />
      <Button type="submit" disabled={isPending} className="bg-danger text-white">
        {t("delete.submit")}
      </Button>
    </form>
  );
}

/** Adds or replaces a named secret; values are write-only, like the Slack webhook. */
export function HttpSecretForm() {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(saveHttpSecretAction, {}, { resetOnSuccess: true });
  const errors = state.fieldErrors;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-2xl gap-4 sm:grid-cols-[14rem_1fr_auto] sm:items-end">
      <Field label={t("secrets.name")} name="name" id="secretName" error={errors?.name} mono autoComplete="off" placeholder="API_TOKEN" />
      <Field label={t("secrets.value")} name="value" id="secretValue" error={errors?.value} type="password" autoComplete="new-password" />
      <Button type="submit" disabled={isPending}>{t("secrets.save")}</Button>
      <Field
        label={t("secrets.allowedHosts")}
        name="allowedHosts"
        id="secretHosts"
        error={errors?.allowedHosts}
        hint={t("secrets.allowedHostsHint")}
        mono
        className="sm:col-span-2"
        autoComplete="off"
        placeholder="api.example.com"
      />
      {state.ok ? <p role="status" className="text-sm sm:col-span-3">{t("secrets.saved")}</p> : null}
      {state.error ? <div className="sm:col-span-3"><Alert>{state.error}</Alert></div> : null}
    </form>
  );
}
