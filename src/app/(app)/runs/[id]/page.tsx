import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { RerunDialog } from "@/components/runs/rerun-dialog";
import { StageProgress } from "@/components/runs/stage-progress";
import { StatusChip } from "@/components/runs/status-chip";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import { getTranslator } from "@/lib/i18n/server";
import { formatDuration, formatInZone } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/auth/roles";
import { getJob } from "@/server/jobs/queries";
import { reassignRunAction } from "@/server/agents/actions";
import { cancelRunAction } from "@/server/runs/actions";
import { listMaintenanceWindows } from "@/server/maintenance/queries";
import { maintenanceAt } from "@/server/maintenance/windows";
import { getRun, listRunAttempts } from "@/server/runs/queries";

export const metadata: Metadata = { title: "Run" };

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="break-words">{children}</dd>
    </>
  );
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
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
  const maintenance = maintenanceAt(windows, run.job_id, run.finished_at ?? run.queued_at);
  const tz = workspace.timezone;
  const renderedAt = new Date();
  const isActive = run.status === "queued" || run.status === "running";
  const isOperator = canOperate(workspace.role);

  // A run that only came in as a report was never queued: it starts when the script says so.
  const timeline: Array<{ label: string; at: Date | null }> = [
    ...(run.trigger === "report" ? [] : [{ label: t("run.queued"), at: run.queued_at }]),
    { label: t("run.started"), at: run.started_at },
    { label: `${t("run.finished")} · ${t(`status.${run.status}`)}`, at: run.finished_at },
  ];

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
        {isOperator ? (
          <div className="flex items-center gap-2">
            {isActive ? (
              <ActionButton action={cancelRunAction} fields={{ runId: run.id }} label={t("run.cancel")} confirm={t("run.cancelConfirm")} keepLabel={t("run.keepRunning")} />
            ) : null}
            {run.status === "lost" ? (
              <ActionButton action={reassignRunAction} fields={{ runId: run.id }} label={t("run.reassign")} confirm={t("run.reassignConfirm")} />
            ) : null}
            {job && job.kind !== "reported" ? (
              <RerunDialog
                jobId={run.job_id}
                rerunOf={run.id}
                defaultParams={Object.keys(run.params).length > 0 ? run.params : job.default_params}
                labels={{
                  open: t("job.rerun"),
                  title: t("rerun.title", { job: run.job_title }),
                  description: t("rerun.description"),
                  params: t("rerun.params"),
                  submit: t("rerun.submit"),
                  close: t("rerun.cancel"),
                }}
              />
            ) : null}
          </div>
        ) : null}
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
        <Card title={t("run.timeline")} className="lg:col-span-1">
          <ol className="space-y-3 border-l-2 border-border pl-4 text-sm">
            {timeline.map((step) => (
              <li key={step.label} className={step.at ? "" : "text-muted"}>
                <span className="font-medium">{step.label}</span>
                <div className="text-xs text-muted">{step.at ? formatInZone(step.at, tz) : "—"}</div>
              </li>
            ))}
          </ol>
          {run.stages && run.stages.length > 0 ? (
            <div className="mt-4">
              <StageProgress stages={run.stages} current={run.current_stage} percent={run.progress_percent} isFinished={run.status === "succeeded"} labels={{ stages: t("run.stagesLabel"), progress: t("run.progressLabel") }} />
            </div>
          ) : null}
        </Card>
        <Card title={t("run.params")} className="lg:col-span-2">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
            <Fact label={t("run.trigger")}>
              {t(`trigger.${run.trigger}`)}
              {run.triggered_by_email ? ` · ${t("run.by", { who: run.triggered_by_email })}` : ""}
            </Fact>
            <Fact label={t("run.attempt")}>{run.attempt}</Fact>
            <Fact label={t("runs.duration")}>
              {run.status === "running" && run.started_at
                ? t("overview.elapsed", { duration: formatDuration(renderedAt.getTime() - run.started_at.getTime(), t.locale) })
                : formatDuration(run.duration_ms, t.locale)}
            </Fact>
            <Fact label={t("runs.exitCode")}>
              <span className="font-mono">{run.exit_code ?? "—"}</span>
            </Fact>
            <Fact label={t("runs.host")}>{run.host ?? "—"}</Fact>
            {run.agent_id ? (
              <Fact label={t("run.agent")}>
                <Link href={`/agents/${run.agent_id}`} className="text-accent hover:underline">
                  {run.agent_name}
                </Link>
              </Fact>
            ) : null}
            <Fact label={t("run.message")}>{jobboardMessage(run.message, t, workspace.timezone) ?? "—"}</Fact>
            {run.rerun_of ? (
              <Fact label={t("run.rerunOf")}>
                <Link href={`/runs/${run.rerun_of}`} className="font-mono text-accent hover:underline">
                  {run.rerun_of}
                </Link>
              </Fact>
            ) : null}
          </dl>
          <pre tabIndex={0} data-testid="run-params" className="mt-3 overflow-x-auto rounded-card bg-canvas p-3 font-mono text-xs">
            {JSON.stringify(run.params, null, 2)}
          </pre>
        </Card>
      </div>

      {attempts.length > 0 ? (
        <section className="mt-6">
          <h2 className="mb-2 text-lg font-semibold">{t("run.attempts")}</h2>
          <ol aria-label={t("run.attempts")} className="divide-y divide-border rounded-card border border-border bg-surface text-sm">
            {attempts.map((attempt) => (
              <li key={attempt.attempt} className="flex flex-wrap items-center gap-4 px-4 py-2">
                <span className="font-medium">#{attempt.attempt}</span>
                <span>{attempt.status}</span>
                <span className="text-muted">{formatInZone(attempt.started_at, tz)}</span>
                <span>{formatDuration(attempt.duration_ms, t.locale)}</span>
                <span className="text-muted">{jobboardMessage(attempt.message, t, workspace.timezone) ?? ""}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section className="mt-6">
        <h2 className="mb-2 text-lg font-semibold">{t("run.stderr")}</h2>
        {run.stderr_tail ? (
          <pre tabIndex={0} data-testid="run-stderr" className="max-h-[28rem] overflow-auto rounded-card bg-sidebar p-4 font-mono text-xs text-sidebar-text whitespace-pre-wrap">
            {run.stderr_tail}
          </pre>
        ) : (
          <p className="text-sm text-muted">{t("run.noStderr")}</p>
        )}
      </section>
      {run.log ? (
        <section className="mt-6">
          <h2 className="mb-2 text-lg font-semibold">{t("run.log")}</h2>
          <pre tabIndex={0} className="max-h-[28rem] overflow-auto rounded-card border border-border bg-surface p-4 font-mono text-xs whitespace-pre-wrap">{run.log}</pre>
        </section>
      ) : null}
    </>
  );
}
