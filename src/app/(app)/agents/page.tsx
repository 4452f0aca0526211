import type { Metadata } from "next";
import Link from "next/link";
import { AgentControls } from "@/components/agents/agent-controls";
import { AgentState } from "@/components/agents/agent-state";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table } from "@/components/ui/table";
import { getTranslator } from "@/lib/i18n/server";
import { formatRelative } from "@/lib/time";
import { listAgents } from "@/server/agents/queries";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/workspaces/roles";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const agents = await db((tx) => listAgents(tx, workspace.id));
  const now = new Date();
  const isOperator = canOperate(workspace.role);
  return (
    <>
      <PageHeader title={t("agents.title")} description={t("agents.description")} />
      <div className="mb-3">
        <AutoRefresh seconds={5} label={t("agents.live")} />
      </div>
      {agents.length === 0 ? (
        <EmptyState title={t("agents.title")}>{t("agents.none")}</EmptyState>
      ) : (
        <Table
          columns={[
            t("agents.colName"),
            t("agents.colHost"),
            t("agents.colState"),
            t("agents.colCurrent"),
            t("agents.colLoad"),
            t("agents.colLastSeen"),
            ...(isOperator ? [{ hidden: t("members.actions") }] : []),
          ]}
        >
          {agents.map((agent) => (
            <tr key={agent.id} data-agent={agent.name} className={agent.revoked_at ? "text-muted" : ""}>
              <td className="px-3 py-2">
                <Link href={`/agents/${agent.id}`} className="font-medium text-accent hover:underline">
                  {agent.name}
                </Link>
                {agent.version ? <span className="block text-xs text-muted">v{agent.version}</span> : null}
              </td>
              <td className="px-3 py-2">
                {agent.host ?? "—"}
                {agent.os ? <span className="block text-xs text-muted">{agent.os}</span> : null}
              </td>
              <td className="px-3 py-2">
                <AgentState agent={agent} t={t} />
              </td>
              <td className="px-3 py-2">
                {agent.current_run_id ? (
                  <Link href={`/runs/${agent.current_run_id}`} className="text-accent hover:underline">
                    {agent.current_job_title}
                  </Link>
                ) : (
                  <span className="text-muted">{t("agents.idle")}</span>
                )}
                {agent.running > 1 ? <span className="block text-xs text-muted">{t("agents.running", { count: agent.running })}</span> : null}
              </td>
              <td className="px-3 py-2 tabular-nums">
                {agent.running}/{agent.max_concurrency}
                {agent.load != null ? <span className="block text-xs text-muted">{agent.load.toFixed(2)}</span> : null}
              </td>
              <td className="whitespace-nowrap px-3 py-2">{agent.last_seen_at ? formatRelative(agent.last_seen_at, now, locale) : t("agents.never")}</td>
              {isOperator ? (
                <td className="px-3 py-2">
                  <AgentControls agent={agent} t={t} />
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
