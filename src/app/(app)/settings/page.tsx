import type { Metadata } from "next";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { DeleteWorkspaceForm, SlackWebhookForm, WorkspaceSettingsForm } from "@/components/settings/workspace-settings-form";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getTranslator } from "@/lib/i18n/server";
import { getAppContext } from "@/server/auth/context";
import { canAdminister, hasRole } from "@/server/auth/roles";
import { getWorkspaceSettings } from "@/server/settings/service";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const header = <PageHeader title={t("settings.title")} description={`${workspace.name} · ${workspace.slug}`} />;
  if (!canAdminister(workspace.role)) {
    return (
      <>
        {header}
        <SettingsTabs current="/settings" t={t} />
        <Alert tone="info">{t("settings.adminsOnly", { role: workspace.role })}</Alert>
      </>
    );
  }
  const settings = await db((tx) => getWorkspaceSettings(tx, workspace.id));
  if (!settings) return header;
  return (
    <>
      {header}
      <SettingsTabs current="/settings" t={t} />
      <div className="space-y-6">
        <Card title={t("settings.workspace")}>
          <WorkspaceSettingsForm
            defaults={{
              name: settings.name,
              timezone: settings.timezone,
              retentionDays: settings.retention_days,
              defaultGraceSeconds: settings.default_grace_seconds,
            }}
          />
        </Card>
        <Card title={t("settings.slack")}>
          <SlackWebhookForm masked={settings.slack_webhook_masked} />
        </Card>
        {hasRole(workspace.role, "owner") ? (
          <Card title={t("delete.title")}>
            <DeleteWorkspaceForm slug={settings.slug} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
