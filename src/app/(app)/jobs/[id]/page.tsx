import type { Metadata } from "next";
import Link from "next/link";
import { Snippet } from "@/components/ui/snippet";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DurationChart } from "@/components/jobs/duration-chart";
import { HealthChip } from "@/components/jobs/health-chip";
import { PingSnippets } from "@/components/jobs/ping-snippets";
import { chartWords, dayBars } from "@/components/overview/activity";
import { ActivityChart } from "@/components/ui/activity-chart";
import { RerunDialog } from "@/components/runs/rerun-dialog";
import { RunTable } from "@/components/runs/run-table";
import { ActionButton } from "@/components/ui/action-button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { getTranslator } from "@/lib/i18n/server";
import { formatDuration, formatInZone, formatPercent } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { listMaintenanceWindows } from "@/server/maintenance/queries";
import { maintenanceAt } from "@/server/maintenance/windows";
import { canAdminister, canOperate } from "@/server/auth/roles";
import { isInngestConfigured } from "@/lib/env";
import { getAgent } from "@/server/agents/queries";
import { httpRequestFor, httpTargetSchema } from "@/server/execution/targets";
import { maskHeaderValues } from "@/server/secrets/references";
import { requestRunAction } from "@/server/runs/actions";
import { setJobBadgeAction, setJobPausedAction } from "@/server/jobs/actions";
import { getSql } from "@/server/db/client";
import { jobPingUuid } from "@/server/pings/service";
import { publicAppUrl } from "@/server/settings/app-url";
import { getJob } from "@/server/jobs/queries";
import { runCursorSchema } from "@/server/runs/list-query";
import { listRuns } from "@/server/runs/queries";
import { describeSchedule } from "@/server/schedule/describe";
import { getJobStats, getRunsByDay } from "@/server/stats/queries";

export const metadata: Metadata = { title: "Job" };

const HISTORY_PAGE = 25;
const STATS_DAYS = 14;

function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-sm">{value}</dd>
    </div>
  );
}

export default async function JobPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const before = decodeCursor((await searchParams).before, runCursorSchema);
  const now = new Date();
  const data = await db(async (tx) => {
    const job = await getJob(tx, { workspaceId: workspace.id, jobId: id });
    if (!job) return null;
    const [stats, days, recent, history, windows] = await Promise.all([
      getJobStats(tx, { workspaceId: workspace.id, jobId: id, since: new Date(now.getTime() - STATS_DAYS * 86_400_000) }),
      getRunsByDay(tx, { workspaceId: workspace.id, jobId: id, timezone: workspace.timezone, days: STATS_DAYS, now }),
      listRuns(tx, { workspaceId: workspace.id, jobId: id, limit: 50 }),
      listRuns(tx, { workspaceId: workspace.id, jobId: id, before, limit: HISTORY_PAGE + 1 }),
      listMaintenanceWindows(tx, { workspaceId: workspace.id, jobId: id }),
    ]);
    const agent = job.agent_id ? await getAgent(tx, { workspaceId: workspace.id, agentId: job.agent_id }) : undefined;
    return { job, stats, days, recent, history, agent, windows };
  });
  if (!data) notFound();
  const { job, stats, days, recent, agent, windows } = data;
  const maintenanceNow = maintenanceAt(windows, job.id, now);
  const history = data.history.slice(0, HISTORY_PAGE);
  const oldest = history.at(-1);
  const olderCursor =
    data.history.length > HISTORY_PAGE && oldest ? encodeCursor({ queuedAt: oldest.cursor_at, id: oldest.id }) : null;
  const isOperator = canOperate(workspace.role);
  const isAdmin = canAdminister(workspace.role);
  const isManaged = job.kind !== "reported";
  // Header values may hold literal tokens: every member reads this page, so they are masked.
  const parsedTarget = job.kind === "http" ? httpTargetSchema.safeParse(job.http_target) : null;
  const httpTarget = parsedTarget?.success ? parsedTarget.data : null;
  // What a run with the default parameters sends: GET and DELETE put them in the query string.
  const defaultRequest = httpTarget ? httpRequestFor(httpTarget, job.default_params) : null;
  const badgePath = `/api/v1/badge/${workspace.slug}/${encodeURIComponent(job.job_key)}.svg`;
  // Reports, and so pings, are refused for the jobs Jobboard runs itself; the ping URL lets its
  // holder report, so viewers do not get it.
  const pingUuid = (job.kind === "reported" || job.kind === "agent") && canOperate(workspace.role) ? await jobPingUuid(await getSql(), job.id) : null;
  const appUrl = job.public_badge || pingUuid ? await publicAppUrl() : "";
  // The job and its history are read by separate statements, so one may see a run end that the
  // other saw running: refresh while either says a run is active, and the two agree next time.
  const hasActiveRun = job.health === "running" || history.some((run) => run.status === "queued" || run.status === "running");
  const schedule = describeSchedule({ cron: job.schedule_cron, timezone: job.schedule_timezone, periodSeconds: job.schedule_period_seconds }, locale);
  const seconds = (value: number | null) => (value == null ? null : formatDuration(value * 1000, locale));
  const durationRules = [
    ...(job.min_duration_seconds ? [t("job.durationUnder", { limit: seconds(job.min_duration_seconds)! })] : []),
    ...(job.max_duration_seconds ? [t("job.durationOver", { limit: seconds(job.max_duration_seconds)! })] : []),
    ...(job.slow_p95_factor ? [t("job.durationOverP95", { factor: String(job.slow_p95_factor), runs: String(job.slow_p95_runs) })] : []),
  ];

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
        {isOperator ? (
          <div className="flex flex-wrap items-center justify-end gap-2">
            {isAdmin ? (
              <ActionButton
                action={setJobBadgeAction}
                fields={{ jobId: job.id, enabled: String(!job.public_badge) }}
                label={job.public_badge ? t("job.badgeOff") : t("job.badgeOn")}
              />
            ) : null}
            <Link href={`/maintenance?job=${job.id}`} className="rounded-card border border-border bg-surface px-3 py-2 text-sm hover:bg-canvas">
              {t("maintenance.jobLink")}
            </Link>
            {isAdmin ? (
              <Link href={`/jobs/${job.id}/edit`} className="rounded-card border border-border bg-surface px-3 py-2 text-sm hover:bg-canvas">
                {t("job.edit")}
              </Link>
            ) : null}
            <ActionButton
              action={setJobPausedAction}
              fields={{ jobId: job.id, paused: String(!job.paused) }}
              label={job.paused ? t("job.resume") : t("job.pause")}
            />
            {isManaged ? (
              <ActionButton
                action={requestRunAction}
                fields={{ jobId: job.id, params: JSON.stringify(job.default_params) }}
                label={t("job.runNow")}
                variant="primary"
              />
            ) : null}
            {/* Before any run there is nothing to rerun: the same dialog runs it with other parameters. */}
            {isManaged ? <RerunDialog
              jobId={job.id}
              rerunOf={job.last_run_id}
              defaultParams={job.default_params}
              labels={{
                open: job.last_run_id ? t("job.rerun") : t("job.runWithParams"),
                title: t("rerun.title", { job: job.title }),
                description: t("rerun.description"),
                params: t("rerun.params"),
                submit: t("rerun.submit"),
                close: t("rerun.cancel"),
              }}
            /> : null}
          </div>
        ) : null}
      </header>
      {maintenanceNow ? (
        <p data-testid="job-in-maintenance" className="-mt-3 mb-6 text-sm">
          <span className="rounded bg-warning-soft px-1.5 py-0.5 text-warning">
            {t("maintenance.activeUntil", { until: formatInZone(maintenanceNow.end, workspace.timezone) })}
          </span>{" "}
          <Link href="/maintenance" className="text-accent hover:underline">
            {maintenanceNow.window.title}
          </Link>
        </p>
      ) : null}
      {!isManaged ? <p className="-mt-3 mb-4 text-sm text-muted">{t("job.reportedHint")}</p> : null}
      {isManaged && job.kind !== "agent" && !isInngestConfigured() ? <p className="-mt-3 mb-4 text-sm text-muted">{t("job.inlineHint")}</p> : null}
      {job.kind === "agent" ? (
        <p className="-mt-3 mb-4 text-sm text-muted">
          {job.agent_label ? t("job.agentLabelHint", { label: job.agent_label }) : null}
          {!job.agent_label && agent ? (
            <>
              {t("job.agentHint")}{" "}
              <Link href={`/agents/${agent.id}`} className="text-accent hover:underline">{agent.name}</Link>
            </>
          ) : null}
        </p>
      ) : null}

      {job.public_badge ? (
        <section aria-label={t("job.badge")} className="mb-6 rounded-card border border-border bg-surface p-4 text-sm">
          {/* eslint-disable-next-line @next/next/no-img-element -- an SVG the app serves itself, changing every minute */}
          <img src={badgePath} alt={t("job.badge")} height={20} />
          <Snippet className="mt-2" text={`[![${job.title}](${appUrl}${badgePath})](${appUrl}/jobs/${job.id})`} copyLabel={t("snippet.copy")} />
          <p className="mt-1 text-xs text-muted">{t("job.badgeHint")}</p>
        </section>
      ) : null}

      {pingUuid ? <PingSnippets appUrl={appUrl} pingUuid={pingUuid} jobKey={job.job_key} jobTitle={job.title} t={t} /> : null}

      <dl className="mb-6 grid grid-cols-2 gap-4 rounded-card border border-border bg-surface p-4 sm:grid-cols-3 lg:grid-cols-8">
        <Fact label={t("jobs.kind")} value={t(`kind.${job.kind}`)} />
        <Fact label={t("jobs.schedule")} value={schedule ?? t("jobs.noSchedule")} />
        <Fact label={t("job.grace")} value={seconds(job.grace_seconds) ?? t("job.default")} />
        <Fact label={t("job.timeout")} value={seconds(job.timeout_seconds) ?? t("job.none")} />
        <Fact label={t("job.retries")} value={job.max_retries} />
        <Fact label={t("job.thresholds")} value={`${job.failure_threshold} / ${job.recovery_threshold}`} />
        <Fact label={t("job.durationRules")} value={durationRules.length > 0 ? durationRules.join(" · ") : t("job.none")} />
        <Fact label={t("job.concurrency")} value={t(`form.concurrency.${job.concurrency_policy}`)} />
      </dl>
      {job.kind === "task" || (job.kind === "agent" && Object.keys(job.default_params ?? {}).length > 0) ? (
        <p data-testid="job-task" className="-mt-3 mb-6 break-all text-sm">
          {job.task_name ? (
            <>
              <span className="text-muted">{t("form.task")}</span> <code className="font-mono">{job.task_name}</code>{" "}
            </>
          ) : null}
          <span className="ml-3 text-muted">{t("form.defaultParams")}</span>{" "}
          <code className="font-mono text-xs">{JSON.stringify(job.default_params ?? {})}</code>
        </p>
      ) : null}
      {httpTarget ? (
        <p data-testid="http-target" className="-mt-3 mb-6 break-all text-sm">
          <span className="text-muted">{t("job.calls")}</span>{" "}
          <code className="font-mono">{`${httpTarget.method} ${defaultRequest!.url}`}</code>
          {Object.entries(maskHeaderValues(httpTarget.headers)).map(([name, value]) => (
            <code key={name} className="ml-3 font-mono text-xs text-muted">{`${name}: ${value}`}</code>
          ))}
          {defaultRequest!.body && defaultRequest!.body !== "{}" ? (
            <code className="mt-1 block font-mono text-xs text-muted">{defaultRequest!.body}</code>
          ) : null}
        </p>
      ) : null}

      <section aria-label={t("job.stats")} className="mb-6 grid gap-4 lg:grid-cols-3">
        <Card title={t("job.stats")}>
          <dl className="grid grid-cols-2 gap-3">
            <Fact label={t("job.successRate")} value={formatPercent(stats.success_rate)} />
            <Fact label={t("job.runs")} value={stats.runs} />
            <Fact label={t("job.avgDuration")} value={formatDuration(stats.avg_duration_ms, locale)} />
            <Fact label={t("job.p95Duration")} value={formatDuration(stats.p95_duration_ms, locale)} />
          </dl>
        </Card>
        <Card title={t("job.runsByDay")}>
          <ActivityChart bars={dayBars(days, locale)} label={t("job.runsByDay")} {...chartWords(t)} />
        </Card>
        <Card title={t("job.durations")}>
          <DurationChart runs={recent} label={t("job.durations")} t={t} />
        </Card>
      </section>

      <h2 className="mb-2 text-lg font-semibold">{t("job.history")}</h2>
      {history.length === 0 ? (
        <EmptyState title={t("runs.none")} />
      ) : (
        <RunTable runs={history} t={t} timezone={workspace.timezone} windows={windows} />
      )}
      <nav aria-label={t("runs.pages")} className="mt-3 flex gap-3 text-sm">
        {before ? (
          <Link href={`/jobs/${job.id}`} className="text-accent hover:underline">
            {t("runs.newest")}
          </Link>
        ) : null}
        {olderCursor ? (
          <Link href={`/jobs/${job.id}?before=${olderCursor}`} className="text-accent hover:underline">
            {t("runs.older")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
