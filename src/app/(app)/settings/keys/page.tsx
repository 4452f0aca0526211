import type { Metadata } from "next";
import { CreateKeyForm } from "@/components/settings/keys";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { formatInZone } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/auth/roles";
import { listIngestKeys } from "@/server/ingest/key-service";
import { publicAppUrl } from "@/server/settings/app-url";
import { revokeKeyAction } from "@/server/settings/actions";

export const metadata: Metadata = { title: "Ingest keys" };

export default async function KeysPage() {
  const { workspace, db } = await getAppContext();
  const header = <PageHeader title="Ingest keys" description="Secrets your scripts send with reports, and read-only keys for status pages." />;
  if (!canAdminister(workspace.role)) {
    return (
      <>
        {header}
        <SettingsTabs current="/settings/keys" />
        <Alert tone="info">Only admins can see and manage keys. You are a {workspace.role} here.</Alert>
      </>
    );
  }
  const [keys, appUrl] = await Promise.all([db((tx) => listIngestKeys(tx, workspace.id)), publicAppUrl()]);
  const tz = workspace.timezone;
  return (
    <>
      {header}
      <SettingsTabs current="/settings/keys" />
      <div className="space-y-6">
        <Card title="New key">
          <CreateKeyForm appUrl={appUrl} />
        </Card>
        <div className="overflow-x-auto rounded-card border border-border bg-surface">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-border text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">Name</th>
                <th className="px-3 py-2 font-medium">Key</th>
                <th className="px-3 py-2 font-medium">Scope</th>
                <th className="px-3 py-2 font-medium">Created</th>
                <th className="px-3 py-2 font-medium">Last used</th>
                <th className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {keys.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-3 py-4 text-muted">
                    No keys yet. Create one above and give it to a script as JOBBOARD_TOKEN.
                  </td>
                </tr>
              ) : null}
              {keys.map((key) => (
                <tr key={key.id} data-prefix={key.prefix} className={key.revoked_at ? "text-muted" : ""}>
                  <td className="px-3 py-2">{key.name}</td>
                  <td className="px-3 py-2 font-mono">{key.prefix}_…</td>
                  <td className="px-3 py-2">{key.scope}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    {formatInZone(key.created_at, tz)}
                    {key.created_by_email ? <span className="block text-xs text-muted">{key.created_by_email}</span> : null}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">{key.last_used_at ? formatInZone(key.last_used_at, tz) : "never"}</td>
                  <td className="px-3 py-2 text-right">
                    {key.revoked_at ? (
                      <span>Revoked {formatInZone(key.revoked_at, tz)}</span>
                    ) : (
                      <ActionButton action={revokeKeyAction} fields={{ keyId: key.id }} label="Revoke" confirm={`Revoke ${key.name}? Scripts using it are refused at once.`} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}
