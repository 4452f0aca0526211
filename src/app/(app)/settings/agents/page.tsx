import type { Metadata } from "next";
import Link from "next/link";
import { AgentControls } from "@/components/agents/agent-controls";
import { AgentState } from "@/components/agents/agent-state";
import { CreateAgentForm } from "@/components/agents/create-agent-form";
import { SettingsFrame, type SettingsFrameProps } from "@/components/settings/settings-frame";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { getTranslator } from "@/lib/i18n/server";
import { formatInZone } from "@/lib/time";
import { listAgents } from "@/server/agents/queries";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/workspaces/roles";
import { publicAppUrl } from "@/server/settings/app-url";

export const metadata: Metadata = { title: "Agent tokens" };

export default async function AgentTokensPage() {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const page: SettingsFrameProps = { title: t("agents.tokens.title"), description: t("agents.tokens.description"), current: "/settings/agents", t };
  if (!canAdminister(workspace.role)) return <SettingsFrame {...page} refusal={t("agents.tokens.adminsOnly", { role: t(`role.a.${workspace.role}`) })} />;
  const [agents, appUrl] = await Promise.all([db((tx) => listAgents(tx, workspace.id)), publicAppUrl()]);
  return (
    <SettingsFrame {...page}>
      <Card title={t("agents.tokens.new")}>
        <CreateAgentForm appUrl={appUrl} />
      </Card>
      <Table
        columns={[t("agents.colName"), t("agents.tokens.colToken"), t("agents.colState"), t("agents.tokens.colCreated"), { hidden: t("members.actions") }]}
        empty={agents.length === 0 ? t("agents.tokens.none") : undefined}
      >
        {agents.map((agent) => (
          <tr key={agent.id} data-prefix={agent.prefix} className={agent.revoked_at ? "text-muted" : ""}>
            <td className="px-3 py-2">
              <Link href={`/agents/${agent.id}`} className="text-accent hover:underline">{agent.name}</Link>
            </td>
            <td className="px-3 py-2 font-mono">{agent.prefix}_…</td>
            <td className="px-3 py-2"><AgentState agent={agent} t={t} /></td>
            <td className="whitespace-nowrap px-3 py-2">{formatInZone(agent.created_at, workspace.timezone)}</td>
            <td className="px-3 py-2"><AgentControls agent={agent} t={t} /></td>
          </tr>
        ))}
      </Table>
    </SettingsFrame>
  );
}
