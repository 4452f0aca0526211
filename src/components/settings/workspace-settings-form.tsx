"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { saveHttpSecretAction } from "@/server/secrets/actions";
import { deleteWorkspaceAction, saveSlackWebhookAction, saveWorkspaceSettingsAction, sendSlackTestAction } from "@/server/settings/actions";
import { FormField, inputClass, invalidProps } from "@/components/ui/form-field";

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
      <FormField label={t("settings.name")} name="name" error={errors?.name}>
        <input id="name" name="name" defaultValue={defaults.name} className={inputClass} {...invalidProps(errors, "name")} />
      </FormField>
      <FormField label={t("settings.timezone")} name="timezone" error={errors?.timezone} hint={t("settings.timezoneHint")}>
        <input id="timezone" name="timezone" defaultValue={defaults.timezone} className={inputClass} {...invalidProps(errors, "timezone")} />
      </FormField>
      <FormField label={t("settings.retention")} name="retentionDays" error={errors?.retentionDays} hint={t("settings.retentionHint")}>
        <input id="retentionDays" name="retentionDays" inputMode="numeric" defaultValue={defaults.retentionDays} className={inputClass} {...invalidProps(errors, "retentionDays")} />
      </FormField>
      <FormField label={t("settings.runHistory")} name="runHistoryDays" error={errors?.runHistoryDays} hint={t("settings.runHistoryHint")}>
        <input id="runHistoryDays" name="runHistoryDays" inputMode="numeric" defaultValue={defaults.runHistoryDays} className={inputClass} {...invalidProps(errors, "runHistoryDays")} />
      </FormField>
      <FormField label={t("settings.grace")} name="defaultGraceSeconds" error={errors?.defaultGraceSeconds} hint={t("settings.graceHint")}>
        <input id="defaultGraceSeconds" name="defaultGraceSeconds" inputMode="numeric" defaultValue={defaults.defaultGraceSeconds} className={inputClass} {...invalidProps(errors, "defaultGraceSeconds")} />
      </FormField>
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
        <FormField label={t("slack.url")} name="slackWebhookUrl" error={errors?.slackWebhookUrl} hint={t("slack.urlHint")}>
          <input id="slackWebhookUrl" name="slackWebhookUrl" type="url" autoComplete="off" placeholder="https://hooks.slack.com/services/…" className={inputClass} {...invalidProps(errors, "slackWebhookUrl")} />
        </FormField>
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
      <FormField label={t("delete.confirm", { slug })} name="confirmSlug" error={errors?.confirmSlug}>
        <input id="confirmSlug" name="confirmSlug" autoComplete="off" className={inputClass} {...invalidProps(errors, "confirmSlug")} />
      </FormField>
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
      <FormField label={t("secrets.name")} name="secretName" error={errors?.name}>
        <input id="secretName" name="name" autoComplete="off" placeholder="API_TOKEN" className={`${inputClass} font-mono`} {...invalidProps(errors, "name", "secretName")} />
      </FormField>
      <FormField label={t("secrets.value")} name="secretValue" error={errors?.value}>
        <input id="secretValue" name="value" type="password" autoComplete="new-password" className={inputClass} {...invalidProps(errors, "value", "secretValue")} />
      </FormField>
      <Button type="submit" disabled={isPending}>{t("secrets.save")}</Button>
      <div className="sm:col-span-2">
        <FormField label={t("secrets.allowedHosts")} name="secretHosts" error={errors?.allowedHosts} hint={t("secrets.allowedHostsHint")}>
          <input id="secretHosts" name="allowedHosts" autoComplete="off" placeholder="api.example.com" className={`${inputClass} font-mono`} {...invalidProps(errors, "allowedHosts", "secretHosts")} />
        </FormField>
      </div>
      {state.ok ? <p role="status" className="text-sm sm:col-span-3">{t("secrets.saved")}</p> : null}
      {state.error ? <div className="sm:col-span-3"><Alert>{state.error}</Alert></div> : null}
    </form>
  );
}
