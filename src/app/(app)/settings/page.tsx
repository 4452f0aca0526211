import type { Metadata } from "next";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { DeleteWorkspaceForm, SlackWebhookForm, WorkspaceSettingsForm } from "@/components/settings/workspace-settings-form";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAppContext } from "@/server/auth/context";
import { canAdminister, hasRole } from "@/server/auth/roles";
import { getWorkspaceSettings } from "@/server/settings/service";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { workspace, db } = await getAppContext();
  const header = <PageHeader title="Settings" description={`${workspace.name} · ${workspace.slug}`} />;
  if (!canAdminister(workspace.role)) {
    return (
      <>
        {header}
        <SettingsTabs current="/settings" />
        <Alert tone="info">Only admins can change workspace settings. You are a {workspace.role} here.</Alert>
      </>
    );
  }
  const settings = await db((tx) => getWorkspaceSettings(tx, workspace.id));
  if (!settings) return header;
  return (
    <>
      {header}
      <SettingsTabs current="/settings" />
      <div className="space-y-6">
        <Card title="Workspace">
          <WorkspaceSettingsForm
            defaults={{
              name: settings.name,
              timezone: settings.timezone,
              retentionDays: settings.retention_days,
              defaultGraceSeconds: settings.default_grace_seconds,
            }}
          />
        </Card>
        <Card title="Slack">
          <SlackWebhookForm masked={settings.slack_webhook_masked} />
        </Card>
        {hasRole(workspace.role, "owner") ? (
          <Card title="Delete workspace">
            <DeleteWorkspaceForm slug={settings.slug} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
