import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { RunActions } from "@/components/runs/run-actions";
import { RunFacts } from "@/components/runs/run-facts";
import { RunOutput } from "@/components/runs/run-output";
import { RunTimeline } from "@/components/runs/run-timeline";
import { StatusChip } from "@/components/runs/status-chip";
import { Alert } from "@/components/ui/alert";
import { getTranslator } from "@/lib/i18n/server";
import { recordId } from "@/lib/record-id";
import { formatDuration } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/workspaces/roles";
import { getJob } from "@/server/jobs/queries";
import { listMaintenanceWindows } from "@/server/maintenance/queries";
import { maintenanceAt } from "@/server/maintenance/windows";
import { getRun, listRunAttempts } from "@/server/runs/queries";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const id = await recordId(params);
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const data = await db(async (tx) => {
    const run = await getRun(tx, { workspaceId: workspace.id, runId: id });
    if (!run) return null;
    const [job, attempts, windows] = await Promise.all([
      getJob(tx, { workspaceId: workspace.id, jobId: run.job_id }),
      listRunAttempts(tx, { workspaceId: workspace.id, runId: run.id }),
      listMaintenanceWindows(tx, { workspaceId: workspace.id, jobId: run.job_id }),
    ]);
    return { run, job, attempts, windows };
  });
  if (!data) notFound();
  const { run, job, attempts, windows } = data;
  const maintenance = maintenanceAt(windows, { workspaceId: workspace.id, jobId: run.job_id }, run.finished_at ?? run.queued_at);
  const tz = workspace.timezone;
  const renderedAt = new Date();
  const isActive = run.status === "queued" || run.status === "running";
  const isOperator = canOperate(workspace.role);

  return (
    <>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{t("run.title", { job: run.job_title })}</h1>
            <StatusChip run={run} t={t} timezone={tz} />
          </div>
          {isActive ? <AutoRefresh seconds={2} label={t("run.live")} /> : null}
          <p className="mt-1 text-sm">
            <Link href={`/jobs/${run.job_id}`} className="text-accent underline">
              {run.job_key}
            </Link>
            <span className="ml-2 font-mono text-xs text-muted">{run.id}</span>
          </p>
        </div>
        {isOperator ? <RunActions run={run} job={job} t={t} /> : null}
      </header>

      {maintenance ? (
        <div className="mb-4" data-testid="during-maintenance">
          <Alert tone="info">{t("maintenance.during", { title: maintenance.window.title })}</Alert>
        </div>
      ) : null}

      {run.duration_rule && run.duration_limit_ms !== null ? (
        <div className="mb-4" data-testid="duration-verdict">
          <Alert tone="info">
            {t(`run.duration.${run.duration_rule}`, { took: formatDuration(run.duration_ms, t.locale), limit: formatDuration(run.duration_limit_ms, t.locale) })}
          </Alert>
        </div>
      ) : null}

      {run.status === "queued" && run.dispatch_error ? (
        <div className="mb-4">
          <Alert tone="info">
            <strong>{t("run.waiting")}.</strong> {run.dispatch_error}
          </Alert>
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-3">
        <RunTimeline run={run} timezone={tz} t={t} />
        <RunFacts run={run} renderedAt={renderedAt} timezone={tz} t={t} />
      </div>

      <RunOutput run={run} attempts={attempts} timezone={tz} t={t} />
    </>
  );
}
