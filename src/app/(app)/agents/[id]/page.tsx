import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgentControls } from "@/components/agents/agent-controls";
import { AgentState } from "@/components/agents/agent-state";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { StatusChip } from "@/components/runs/status-chip";
import { Card } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";
import { recordId } from "@/lib/record-id";
import { formatDuration, formatInZone, formatRelative } from "@/lib/time";
import { getAgent, listAgentJobs, listAgentRuns } from "@/server/agents/queries";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/workspaces/roles";

export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = await recordId(params);
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const data = await db(async (tx) => {
    const agent = await getAgent(tx, { workspaceId: workspace.id, agentId: id });
    if (!agent) return null;
    const [runs, jobs] = await Promise.all([
      listAgentRuns(tx, { workspaceId: workspace.id, agentId: id, limit: 50 }),
      listAgentJobs(tx, { workspaceId: workspace.id, agentId: id }),
    ]);
    return { agent, runs, jobs };
  });
  if (!data) notFound();
  const { agent, runs, jobs } = data;
  const tz = workspace.timezone;
  const facts: Array<[string, React.ReactNode]> = [
    [t("agents.colHost"), agent.host ?? "—"],
    [t("agents.os"), agent.os ?? "—"],
    [t("agents.version"), agent.version ?? "—"],
    [t("agents.labels"), agent.labels.length > 0 ? agent.labels.join(", ") : "—"],
    [t("agents.concurrency"), `${agent.running}/${agent.max_concurrency}`],
    [t("agents.colLastSeen"), agent.last_seen_at ? `${formatRelative(agent.last_seen_at, new Date(), locale)} · ${formatInZone(agent.last_seen_at, tz)}` : t("agents.never")],
  ];
  return (
    <>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{agent.name}</h1>
            <AgentState agent={agent} t={t} />
          </div>
          <AutoRefresh seconds={5} label={t("agents.live")} />
        </div>
        {canOperate(workspace.role) ? <AgentControls agent={agent} t={t} /> : null}
      </header>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("agents.facts")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted">{label}</dt>
                <dd className="break-words">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title={t("agents.jobs")} className="lg:col-span-2">
          {jobs.length === 0 ? (
            <p className="text-sm text-muted">{t("agents.noJobs")}</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {jobs.map((job) => (
                <li key={job.id}>
                  <Link href={`/jobs/${job.id}`} className="text-accent hover:underline">{job.title}</Link>
                  <span className="ml-2 font-mono text-xs text-muted">{job.job_key}</span>
                  {job.agent_label ? <span className="ml-2 text-xs text-muted">({job.agent_label})</span> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <div className="mt-6">
        <Card title={t("agents.recentRuns")}>
          {runs.length === 0 ? (
            <p className="text-sm text-muted">{t("agents.noRuns")}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <tbody className="divide-y divide-border">
                  {runs.map((run) => (
                    <tr key={run.id}>
                      <td className="py-2 pr-3">
                        <Link href={`/runs/${run.id}`} className="text-accent hover:underline">{run.job_title}</Link>
                      </td>
                      <td className="py-2 pr-3">
                        <StatusChip run={run} t={t} timezone={tz} />
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3">{formatInZone(run.started_at ?? run.queued_at, tz)}</td>
                      <td className="py-2 pr-3 tabular-nums">{run.duration_ms != null ? formatDuration(run.duration_ms, locale) : "—"}</td>
                      <td className="max-w-md truncate py-2 text-muted">{run.message ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
