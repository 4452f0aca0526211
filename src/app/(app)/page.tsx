import type { Metadata } from "next";
import Link from "next/link";
import { BrokenNow } from "@/components/incidents/broken-now";
import { WorkspaceActivity } from "@/components/overview/activity";
import { StageProgress } from "@/components/runs/stage-progress";
import { SchedulerLine } from "@/components/scheduler/scheduler-line";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getTranslator } from "@/lib/i18n/server";
import { formatDuration, formatInZone, formatPercent } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { getSql } from "@/server/db/client";
import { listOpenIncidents } from "@/server/incidents/queries";
import { listRunningRuns } from "@/server/runs/queries";
import { getSchedulerState } from "@/server/schedule/state";
import { getOverviewStats, getWorkspaceActivity } from "@/server/stats/queries";

/** The overview's list of what is broken: the first incidents; /incidents has them all. */
const INCIDENTS_SHOWN = 10;

export const metadata: Metadata = { title: "Overview" };

function Metric({ label, value, previous, testId }: { label: string; value: string; previous: string; testId: string }) {
  return (
    <div data-testid={testId} className="rounded-card border border-border bg-surface p-4">
      <p className="text-sm text-muted">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`${testId}-value`}>
        {value}
      </p>
      <p className="mt-1 text-xs text-muted">{previous}</p>
    </div>
  );
}

export default async function OverviewPage() {
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const now = new Date();
  const [[stats, activity, running, incidents], scheduler] = await Promise.all([
    db((tx) =>
      Promise.all([
        getOverviewStats(tx, { workspaceId: workspace.id, now }),
        getWorkspaceActivity(tx, { workspaceId: workspace.id, timezone: workspace.timezone, now }),
        listRunningRuns(tx, workspace.id),
        listOpenIncidents(tx, { workspaceId: workspace.id, limit: INCIDENTS_SHOWN + 1 }),
      ]),
    ),
    getSql().then((sql) => getSchedulerState(sql, now)),
  ]);
  const { current, previous } = stats;
  const before = (value: string) => t("overview.previous", { value });
  return (
    <>
      <PageHeader
        title={t("overview.title")}
        description={t("overview.timesIn", { workspace: workspace.name, timezone: workspace.timezone })}
        live={{ label: t("overview.live") }}
      />
      <SchedulerLine scheduler={scheduler} t={t} locale={locale} timezone={workspace.timezone} now={now} />
      <section aria-labelledby="broken-now" className="mb-6">
        <div className="mb-2 flex items-baseline justify-between gap-3">
          <h2 id="broken-now" className="text-lg font-semibold">
            {t("overview.brokenNow")}
          </h2>
          <Link href="/incidents" className="text-sm text-accent hover:underline">
            {t("overview.allIncidents")}
          </Link>
        </div>
        <BrokenNow incidents={incidents.slice(0, INCIDENTS_SHOWN)} t={t} locale={locale} timezone={workspace.timezone} now={now} />
      </section>
      <section aria-label={t("overview.last24h")} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Metric testId="success-rate" label={t("overview.successRate")} value={formatPercent(current.success_rate)} previous={before(formatPercent(previous.success_rate))} />
        <Metric testId="avg-duration" label={t("overview.avgDuration")} value={formatDuration(current.avg_duration_ms, locale)} previous={before(formatDuration(previous.avg_duration_ms, locale))} />
        <Metric testId="p95-duration" label={t("overview.p95Duration")} value={formatDuration(current.p95_duration_ms, locale)} previous={before(formatDuration(previous.p95_duration_ms, locale))} />
        <Metric testId="failed-runs" label={t("overview.failedRuns")} value={String(current.failed)} previous={before(String(previous.failed))} />
      </section>
      <WorkspaceActivity hours={activity.hours} days={activity.days} t={t} locale={locale} timezone={workspace.timezone} />

      <div className="mt-6">
        <Card title={t("overview.runningNow")}>
          {running.length === 0 ? (
            <p className="text-sm text-muted">{t("overview.nothingRunning")}</p>
          ) : (
            <ul className="space-y-4">
              {running.map((run) => {
                const since = run.started_at ?? run.queued_at;
                return (
                  <li key={run.id} aria-label={run.job_title}>
                    <div className="mb-1 flex items-baseline justify-between gap-2">
                      <Link href={`/runs/${run.id}`} className="font-medium hover:underline">
                        {run.job_title}
                      </Link>
                      <span className="text-xs text-muted" title={formatInZone(since, workspace.timezone)}>
                        {t("overview.elapsed", { duration: formatDuration(now.getTime() - since.getTime(), locale) })}
                      </span>
                    </div>
                    <StageProgress stages={run.stages} current={run.current_stage} percent={run.progress_percent} labels={{ stages: t("run.stagesLabel"), progress: t("run.progressLabel") }} />
                    {run.message ? <p className="mt-1 text-xs text-muted">{run.message}</p> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
