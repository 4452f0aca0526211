import type { Metadata } from "next";
import Link from "next/link";
import { AgentControls } from "@/components/agents/agent-controls";
import { AgentState } from "@/components/agents/agent-state";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getTranslator } from "@/lib/i18n/server";
import { formatRelative } from "@/lib/time";
import { listAgents } from "@/server/agents/queries";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/auth/roles";

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
        <div className="overflow-x-auto rounded-card border border-border bg-surface">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-border text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">{t("agents.colName")}</th>
                <th className="px-3 py-2 font-medium">{t("agents.colHost")}</th>
                <th className="px-3 py-2 font-medium">{t("agents.colState")}</th>
                <th className="px-3 py-2 font-medium">{t("agents.colCurrent")}</th>
                <th className="px-3 py-2 font-medium">{t("agents.colLoad")}</th>
                <th className="px-3 py-2 font-medium">{t("agents.colLastSeen")}</th>
                {isOperator ? (
                  <th className="px-3 py-2 font-medium">
                    <span className="sr-only">{t("members.actions")}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
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
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
