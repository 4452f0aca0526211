import type { Metadata } from "next";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { notFound } from "next/navigation";
import { JobActions } from "@/components/jobs/job-actions";
import { JobBadge, JobNotes } from "@/components/jobs/job-notes";
import { JobFacts } from "@/components/jobs/job-facts";
import { JobStats } from "@/components/jobs/job-stats";
import { HealthChip } from "@/components/jobs/health-chip";
import { PingSnippets } from "@/components/jobs/ping-snippets";
import { RunTable } from "@/components/runs/run-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { getTranslator } from "@/lib/i18n/server";
import { recordId } from "@/lib/record-id";
import { getAppContext } from "@/server/auth/context";
import { listMaintenanceWindows } from "@/server/maintenance/queries";
import { maintenanceAt } from "@/server/maintenance/windows";
import { canAdminister, canOperate } from "@/server/workspaces/roles";
import { getAgent } from "@/server/agents/queries";
import { getSql } from "@/server/db/client";
import { jobPingUuid } from "@/server/pings/service";
import { publicAppUrl } from "@/server/settings/app-url";
import { getJob } from "@/server/jobs/queries";
import { runListQuerySchema } from "@/server/runs/list-query";
import { listRuns } from "@/server/runs/queries";
import { getJobStats, getRunsByDay } from "@/server/stats/queries";
import { listAlertLog } from "@/server/notify/alert-log";
import { AlertLog } from "@/components/alerts/alert-log";

export const metadata: Metadata = { title: "Job" };

const HISTORY_PAGE = 25;
const STATS_DAYS = 14;

export default async function JobPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const id = await recordId(params);
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const { before } = runListQuerySchema.pick({ before: true }).parse(await searchParams);
  const now = new Date();
  const data = await db(async (tx) => {
    const job = await getJob(tx, { workspaceId: workspace.id, jobId: id });
    if (!job) return null;
    const [stats, days, recent, history, windows, alerts] = await Promise.all([
      getJobStats(tx, { workspaceId: workspace.id, jobId: id, since: new Date(now.getTime() - STATS_DAYS * 86_400_000) }),
      getRunsByDay(tx, { workspaceId: workspace.id, jobId: id, timezone: workspace.timezone, days: STATS_DAYS, now }),
      listRuns(tx, { workspaceId: workspace.id, jobId: id, limit: 50 }),
      listRuns(tx, { workspaceId: workspace.id, jobId: id, after: before, limit: HISTORY_PAGE }),
      listMaintenanceWindows(tx, { workspaceId: workspace.id, jobId: id }),
      listAlertLog(tx, { workspaceId: workspace.id, scope: { jobId: id }, limit: 20 }),
    ]);
    const agent = job.agent_id ? await getAgent(tx, { workspaceId: workspace.id, agentId: job.agent_id }) : undefined;
    return { job, stats, days, recent: recent.items, history, agent, windows, alerts };
  });
  if (!data) notFound();
  const { job, stats, days, recent, history, agent, windows, alerts } = data;
  const maintenanceNow = maintenanceAt(windows, { workspaceId: workspace.id, jobId: job.id }, now);
  const isOperator = canOperate(workspace.role);
  const isAdmin = canAdminister(workspace.role);
  // Reports, and so pings, are refused for the jobs Jobboard runs itself; the ping URL lets its
  // holder report, so viewers do not get it.
  const pingUuid = (job.kind === "reported" || job.kind === "agent") && canOperate(workspace.role) ? await jobPingUuid(await getSql(), job.id) : null;
  const appUrl = job.public_badge || pingUuid ? await publicAppUrl() : "";
  // The job and its history are read by separate statements, so one may see a run end that the
  // other saw running: refresh while either says a run is active, and the two agree next time.
  const hasActiveRun = job.health === "running" || history.items.some((run) => run.status === "queued" || run.status === "running");

  return (
    <>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{job.title}</h1>
            <HealthChip health={job.health} t={t} />
          </div>
          <p className="mt-1 font-mono text-xs text-muted">{job.job_key}</p>
          {hasActiveRun ? <AutoRefresh seconds={2} label={t("run.live")} /> : <AutoRefresh seconds={5} label={t("overview.live")} />}
          {job.description ? <p className="mt-2 max-w-2xl text-sm">{job.description}</p> : null}
        </div>
        {isOperator ? <JobActions job={job} isAdmin={isAdmin} t={t} /> : null}
      </header>
      <JobNotes job={job} agent={agent} maintenanceNow={maintenanceNow} timezone={workspace.timezone} t={t} />
      {job.public_badge ? <JobBadge job={job} badgePath={`/api/v1/badge/${workspace.slug}/${encodeURIComponent(job.job_key)}.svg`} appUrl={appUrl} t={t} /> : null}
      {pingUuid ? <PingSnippets appUrl={appUrl} pingUuid={pingUuid} jobKey={job.job_key} jobTitle={job.title} t={t} /> : null}

      <JobFacts job={job} t={t} locale={locale} />

      <JobStats stats={stats} days={days} recent={recent} t={t} locale={locale} />

      <h2 className="mb-2 text-lg font-semibold">{t("job.history")}</h2>
      {history.items.length === 0 ? (
        <EmptyState title={t("runs.none")} />
      ) : (
        <RunTable runs={history.items} t={t} timezone={workspace.timezone} windows={windows} workspaceId={workspace.id} />
      )}
      <Pager path={`/jobs/${job.id}`} params={new URLSearchParams()} cursorParam="before" isFirstPage={!before} nextCursor={history.nextCursor} label={t("runs.pages")} firstLabel={t("runs.newest")} nextLabel={t("runs.older")} />
      <AlertLog entries={alerts} t={t} timezone={workspace.timezone} />
    </>
  );
}
