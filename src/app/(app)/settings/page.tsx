import type { Metadata } from "next";
import { SettingsFrame, type SettingsFrameProps } from "@/components/settings/settings-frame";
import { DeleteWorkspaceForm, HttpSecretForm, SlackWebhookForm, WorkspaceSettingsForm } from "@/components/settings/workspace-settings-form";
import { Card } from "@/components/ui/card";
import { ListCard } from "@/components/ui/list-card";
import { PageHeader } from "@/components/ui/page-header";
import { getTranslator } from "@/lib/i18n/server";
import { getAppContext } from "@/server/auth/context";
import { canAdminister, hasRole } from "@/server/workspaces/roles";
import { listHttpSecretNames } from "@/server/secrets/http-secrets";
import { deleteHttpSecretAction } from "@/server/secrets/actions";
import { getWorkspaceSettings } from "@/server/settings/service";
import { ActionButton } from "@/components/ui/action-button";
import { formatInZone } from "@/lib/time";
import { Alert } from "@/components/ui/alert";
import { slackRefusingSince } from "@/server/notify/alert-log";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const page: SettingsFrameProps = { title: t("settings.title"), description: `${workspace.name} · ${workspace.slug}`, current: "/settings", t };
  if (!canAdminister(workspace.role)) return <SettingsFrame {...page} refusal={t("settings.adminsOnly", { role: t(`role.a.${workspace.role}`) })} />;
  const [settings, secrets, refusingSince] = await db((tx) =>
    Promise.all([getWorkspaceSettings(tx, workspace.id), listHttpSecretNames(tx, workspace.id), slackRefusingSince(tx, workspace.id)]),
  );
  if (!settings) return <PageHeader title={page.title} description={page.description} />;
  return (
    <SettingsFrame {...page}>
      {refusingSince ? <Alert>{t("alerts.slackRefusing", { since: formatInZone(refusingSince, workspace.timezone) })}</Alert> : null}
      <Card title={t("settings.workspace")}>
        <WorkspaceSettingsForm
          defaults={{
            name: settings.name,
            timezone: settings.timezone,
            retentionDays: settings.retention_days,
            runHistoryDays: settings.run_history_days,
            defaultGraceSeconds: settings.default_grace_seconds,
          }}
        />
      </Card>
      <Card title={t("settings.slack")}>
        <SlackWebhookForm masked={settings.slack_webhook_masked} />
      </Card>
      <Card title={t("secrets.title")}>
        <p className="mb-3 max-w-2xl text-sm text-muted">{t("secrets.hint")}</p>
        {secrets.length > 0 ? (
          <ListCard label={t("secrets.title")} className="mb-4 max-w-2xl text-sm">
            {secrets.map((secret) => (
              <li key={secret.name} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2">
                <span>
                  <code className="font-mono">{`{{secrets.${secret.name}}}`}</code>
                  <span className="ml-3 text-xs text-muted">{t("secrets.updated", { at: formatInZone(secret.updated_at, workspace.timezone) })}</span>
                  <span className="ml-3 text-xs text-muted">{t("secrets.sentTo", { hosts: secret.allowed_hosts.join(", ") || "—" })}</span>
                </span>
                <ActionButton action={deleteHttpSecretAction} fields={{ name: secret.name }} label={t("secrets.delete")} confirm={t("secrets.deleteConfirm", { name: secret.name })} />
              </li>
            ))}
          </ListCard>
        ) : null}
        <HttpSecretForm />
      </Card>
      {hasRole(workspace.role, "owner") ? (
        <Card title={t("delete.title")}>
          <DeleteWorkspaceForm slug={settings.slug} />
        </Card>
      ) : null}
    </SettingsFrame>
  );
}
