import type { Metadata } from "next";
import { CreateKeyForm } from "@/components/settings/keys";
import { SettingsFrame, type SettingsFrameProps } from "@/components/settings/settings-frame";
import { ActionButton } from "@/components/ui/action-button";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { getTranslator } from "@/lib/i18n/server";
import { formatInZone } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/workspaces/roles";
import { listIngestKeys } from "@/server/ingest/key-service";
import { publicAppUrl } from "@/server/settings/app-url";
import { revokeKeyAction } from "@/server/ingest/key-actions";

export const metadata: Metadata = { title: "Ingest keys" };

export default async function KeysPage() {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const page: SettingsFrameProps = { title: t("keys.title"), description: t("keys.description"), current: "/settings/keys", t };
  if (!canAdminister(workspace.role)) return <SettingsFrame {...page} refusal={t("keys.adminsOnly", { role: t(`role.a.${workspace.role}`) })} />;
  const [keys, appUrl] = await Promise.all([db((tx) => listIngestKeys(tx, workspace.id)), publicAppUrl()]);
  const tz = workspace.timezone;
  return (
    <SettingsFrame {...page}>
      <Card title={t("keys.new")}>
        <CreateKeyForm appUrl={appUrl} />
      </Card>
      <Table
        columns={[t("keys.colName"), t("keys.colKey"), t("keys.colScope"), t("keys.colCreated"), t("keys.colLastUsed"), { hidden: t("members.actions") }]}
        empty={keys.length === 0 ? t("keys.none") : undefined}
      >
        {keys.map((key) => (
          <tr key={key.id} data-prefix={key.prefix} className={key.revoked_at ? "text-muted" : ""}>
            <td className="px-3 py-2">{key.name}</td>
            <td className="px-3 py-2 font-mono">{key.prefix}_…</td>
            <td className="px-3 py-2">{key.scope}</td>
            <td className="whitespace-nowrap px-3 py-2">
              {formatInZone(key.created_at, tz)}
              {key.created_by_email ? <span className="block text-xs text-muted">{key.created_by_email}</span> : null}
            </td>
            <td className="whitespace-nowrap px-3 py-2">{key.last_used_at ? formatInZone(key.last_used_at, tz) : t("keys.never")}</td>
            <td className="px-3 py-2 text-right">
              {key.revoked_at ? (
                <span>{t("keys.revoked", { at: formatInZone(key.revoked_at, tz) })}</span>
              ) : (
                <ActionButton action={revokeKeyAction} fields={{ keyId: key.id }} label={t("keys.revoke")} confirm={t("keys.revokeConfirm", { name: key.name })} />
              )}
            </td>
          </tr>
        ))}
      </Table>
    </SettingsFrame>
  );
}
