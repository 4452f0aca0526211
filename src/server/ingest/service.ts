import type { Sql } from "../db/sql";
import { withService, type Tx } from "../db/transactions";
import { AppError } from "../errors";
import { REPORT_LIMITS } from "./limits";
import type { Report } from "./schemas";
import { headChars, tailBytes } from "./truncate";
import { recordIncident, resolveIncidents } from "../incidents/transitions";
import { alertsQueued } from "../notify/notifier";
import { queueRunAlert, type NotifyPolicy } from "../notify/outbox";
import { markLatestRun } from "../runs/latest";

export type IngestResult = {
  jobId: string;
  jobKey: string;
  runId: string | null;
  /** The report repeated one already recorded (or came after its run finished): nothing changed. */
  isDuplicate: boolean;
  /** Fields cut to the documented limits. */
  truncated: string[];
  /** The report wrote an alert, to deliver once the transaction has committed. */
  alertQueued: boolean;
};

type UpsertedJob = { id: string; notify_policy: NotifyPolicy };

type Clean = {
  title: string | null;
  message: string | null;
  stderr: string | null;
  log: string | null;
  host: string | null;
  tags: string[] | null;
  stages: string[] | null;
  stage: string | null;
  toolId: string | null;
  truncated: string[];
};

/** Applies the documented limits, noting every field that had to be cut. */
function clean(report: Report): Clean {
  const truncated: string[] = [];
  const head = (field: string, value: string | null | undefined, max: number) => {
    if (value == null) return null;
    const clipped = headChars(value, max);
    if (clipped.truncated) truncated.push(field);
    return clipped.value;
  };
  const tail = (field: string, value: string | null | undefined) => {
    if (value == null) return null;
    const clipped = tailBytes(value, REPORT_LIMITS.tailBytes);
    if (clipped.truncated) truncated.push(field);
    return clipped.value;
  };
  const list = (field: string, values: string[] | null | undefined, maxItems: number, maxChars: number) => {
    if (values == null) return null;
    const kept = values.slice(0, maxItems).map((value) => headChars(value, maxChars));
    if (values.length > maxItems || kept.some((value) => value.truncated)) truncated.push(field);
    return kept.map((value) => value.value);
  };
  return {
    title: head("title", report.title?.trim() || null, REPORT_LIMITS.titleChars),
    message: head("message", report.message, REPORT_LIMITS.messageChars),
    stderr: tail("stderr", report.stderr),
    log: tail("log", report.log),
    host: head("host", report.host, REPORT_LIMITS.hostChars),
    tags: list("tags", report.tags, REPORT_LIMITS.tags, REPORT_LIMITS.tagChars),
    stages: list("stages", report.stages, REPORT_LIMITS.stages, REPORT_LIMITS.stageChars),
    stage: head("stage", report.stage, REPORT_LIMITS.stageChars),
    toolId: head("tool_id", report.tool_id, REPORT_LIMITS.jobKeyChars),
    truncated,
  };
}

type ExistingRun = { id: string; status: string; started_at: Date | null; queued_at: Date };

const FINISHED = new Set(["succeeded", "failed", "timed_out", "canceled", "skipped", "lost"]);

type ExistingJob = { id: string; kind: string };

/**
 * Jobs Jobboard's server runs itself: their title, history and incidents are Jobboard's to
 * write. An agent job is still a script on its own machine, which keeps reporting the runs its
 * own scheduler starts (seed 003's Task Scheduler); the agent only adds reruns. It takes
 * reports, but never a new title from one.
 */
const RUN_BY_JOBBOARD = new Set(["http", "task"]);

/** Whether a report may write to this job: any but one Jobboard's server runs, unless Jobboard itself records it. */
function assertReportable(job: ExistingJob, report: Report, isFromJobboard: boolean): void {
  if (!RUN_BY_JOBBOARD.has(job.kind) || isFromJobboard) return;
  throw new AppError("conflict", `job_key ${report.job_key} is run by Jobboard (${job.kind}); reports cannot change it`, "job_key");
}

/** A workspace's jobs created by reports rather than by an admin. */
async function countReportedJobs(tx: Tx, workspaceId: string): Promise<number> {
  const [row] = await tx<{ count: number }[]>`
    select count(*)::int as count from jobs where workspace_id = ${workspaceId} and kind = 'reported' and created_by is null`;
  return row!.count;
}

/**
 * Creates the job on its first report (seed 003's upsert by key), within the workspace's quota
 * of jobs created that way; later reports refresh its title.
 */
async function upsertJob(
  tx: Tx,
  p: { workspaceId: string; report: Report; values: Clean; isFromJobboard: boolean; maxReportedJobs: number },
): Promise<UpsertedJob> {
  const { workspaceId, report, values } = p;
  const [existing] = await tx<ExistingJob[]>`
    select id, kind from jobs where workspace_id = ${workspaceId} and job_key = ${report.job_key}`;
  if (existing) {
    assertReportable(existing, report, p.isFromJobboard);
  } else {
    // One creator at a time per workspace, so concurrent first reports cannot overrun the quota.
    await tx`select pg_advisory_xact_lock(hashtextextended(${`jobboard:reported-jobs:${workspaceId}`}, 0))`;
    if ((await countReportedJobs(tx, workspaceId)) >= p.maxReportedJobs) {
      throw new AppError(
        "forbidden",
        `This workspace already has ${p.maxReportedJobs} jobs created by reports; ask an admin to delete unused ones or raise JOBBOARD_MAX_REPORTED_JOBS`,
        "job_key",
      );
    }
  }
  const [job] = await tx<UpsertedJob[]>`
    insert into jobs (workspace_id, job_key, title, tool_id, tags)
    values (${workspaceId}, ${report.job_key}, ${values.title ?? report.job_key}, ${values.toolId},
            coalesce(${values.tags}::text[], '{}'))
    on conflict (workspace_id, job_key) do update set
      title = case when jobs.kind = 'reported' then coalesce(${values.title}, jobs.title) else jobs.title end,
      tool_id = coalesce(${values.toolId}, jobs.tool_id),
      tags = coalesce(${values.tags}::text[], jobs.tags)
    -- An admin may have made the key a job Jobboard runs since it was looked up: look again.
    where jobs.kind in ('reported', 'agent') or ${existing !== undefined && RUN_BY_JOBBOARD.has(existing.kind)}
    returning id, notify_policy`;
  if (!job) return upsertJob(tx, p);
  return job;
}

async function findRun(tx: Tx, jobId: string, externalId: string): Promise<ExistingRun | undefined> {
  const [run] = await tx<ExistingRun[]>`
    select id, status, started_at, queued_at from runs
    where job_id = ${jobId} and external_id = ${externalId}
    for update`;
  return run;
}

async function insertRunningRun(
  tx: Tx,
  p: { workspaceId: string; jobId: string; report: Report; values: Clean; startedAt: Date },
): Promise<string | null> {
  const { report, values } = p;
  const [run] = await tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at, host,
                      stages, current_stage, progress_percent, message)
    values (${p.workspaceId}, ${p.jobId}, 'running', 'report', ${report.run_id ?? null}, ${p.startedAt}, ${p.startedAt},
            ${values.host}, ${values.stages}::text[], ${values.stage}, ${report.percent ?? null}, ${values.message})
    on conflict (job_id, external_id) where external_id is not null do nothing
    returning id`;
  return run?.id ?? null;
}

async function recordStart(tx: Tx, workspaceId: string, jobId: string, report: Report, values: Clean, now: Date) {
  if (report.run_id) {
    const existing = await findRun(tx, jobId, report.run_id);
    // A repeated start, or one arriving after its finish, changes nothing.
    if (existing) return { runId: existing.id, isDuplicate: true };
  }
  const runId = await insertRunningRun(tx, { workspaceId, jobId, report, values, startedAt: report.started_at ?? now });
  if (!runId) return { runId: (await findRun(tx, jobId, report.run_id!))!.id, isDuplicate: true };
  await markLatestRun(tx, jobId, runId);
  return { runId, isDuplicate: false };
}

async function recordProgress(tx: Tx, workspaceId: string, jobId: string, report: Report, values: Clean, now: Date) {
  const existing = await findRun(tx, jobId, report.run_id!);
  if (!existing) {
    // Progress without a start still shows the run as running.
    return recordStart(tx, workspaceId, jobId, report, values, now);
  }
  if (existing.status !== "running") return { runId: existing.id, isDuplicate: true };
  await tx`
    update runs set
      current_stage = coalesce(${values.stage}, current_stage),
      stages = coalesce(${values.stages}::text[], stages),
      progress_percent = coalesce(${report.percent ?? null}, progress_percent),
      message = coalesce(${values.message}, message),
      host = coalesce(host, ${values.host})
    where id = ${existing.id}`;
  return { runId: existing.id, isDuplicate: false };
}

async function recordFinish(tx: Tx, workspaceId: string, job: UpsertedJob, report: Report, values: Clean) {
  const jobId = job.id;
  const finishedAt = report.finished_at!;
  const status = report.status === "success" ? "succeeded" : "failed";
  let existing = report.run_id ? await findRun(tx, jobId, report.run_id) : undefined;
  if (existing && FINISHED.has(existing.status)) return { runId: existing.id, isDuplicate: true };

  const durationMs = report.duration_ms ?? null;
  const startedAt =
    report.started_at ??
    existing?.started_at ??
    (durationMs !== null ? new Date(finishedAt.getTime() - durationMs) : null);
  const duration = durationMs ?? (startedAt ? Math.max(0, finishedAt.getTime() - startedAt.getTime()) : null);

  let runId: string | undefined = existing?.id;
  if (!existing) {
    const [inserted] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at, finished_at,
                        duration_ms, exit_code, message, stderr_tail, log, host, stages, current_stage, progress_percent)
      values (${workspaceId}, ${jobId}, ${status}, 'report', ${report.run_id ?? null}, ${startedAt ?? finishedAt},
              ${startedAt}, ${finishedAt}, ${duration}, ${report.exit_code ?? null}, ${values.message}, ${values.stderr},
              ${values.log}, ${values.host}, ${values.stages}::text[], ${values.stage},
              ${report.percent ?? (status === "succeeded" ? 100 : null)})
      on conflict (job_id, external_id) where external_id is not null do nothing
      returning id`;
    if (!inserted) {
      // The same finish raced in on another connection and won: count it once.
      existing = await findRun(tx, jobId, report.run_id!);
      return { runId: existing!.id, isDuplicate: true };
    }
    runId = inserted.id;
  } else {
    await tx`
      update runs set
        status = ${status},
        started_at = coalesce(started_at, ${startedAt}),
        finished_at = greatest(${finishedAt}::timestamptz, started_at),
        duration_ms = ${duration},
        exit_code = ${report.exit_code ?? null},
        message = coalesce(${values.message}, message),
        -- An agent's live tail stands until the finish brings its own.
        stderr_tail = coalesce(${values.stderr}, stderr_tail),
        log = coalesce(${values.log}, log),
        host = coalesce(${values.host}, host),
        current_stage = coalesce(${values.stage}, current_stage),
        stages = coalesce(${values.stages}::text[], stages),
        progress_percent = coalesce(${report.percent ?? null}, case when ${status} = 'succeeded' then 100 end, progress_percent)
      where id = ${existing.id}`;
  }

  await markLatestRun(tx, jobId, runId!);
  let openedIncidentId: string | null = null;
  let resolvedIncidentIds: string[] = [];
  if (status === "failed") {
    const incident = await recordIncident(tx, { workspaceId, jobId, kind: "failed", runId: runId!, at: finishedAt, message: values.message });
    if (incident.isNew) openedIncidentId = incident.incidentId;
  } else {
    resolvedIncidentIds = await resolveIncidents(tx, { jobId, runId: runId!, at: finishedAt, startedAt });
  }
  const alertQueued = await queueRunAlert(
    tx,
    { runId: runId!, workspaceId, jobId, status, openedIncidentId, resolvedIncidentIds },
    job.notify_policy,
  );
  return { runId: runId!, isDuplicate: false, alertQueued };
}

export type IngestOptions = {
  workspaceId: string;
  report: Report;
  now?: Date;
  /** How many jobs reports may create in the workspace (JOBBOARD_MAX_REPORTED_JOBS). */
  maxReportedJobs?: number;
  /** Jobboard itself records how a run it dispatched ended (an agent's finish), not a reporter. */
  isFromJobboard?: boolean;
};

/**
 * Records one report inside the caller's transaction: the job (created on first report), the run
 * (paired with its start by `run_id`), the job's latest-run pointer and its incidents.
 */
export async function ingestReportIn(tx: Tx, p: IngestOptions): Promise<IngestResult> {
  const { workspaceId, report } = p;
  const now = p.now ?? new Date();
  const values = clean(report);
  const job = await upsertJob(tx, {
    workspaceId,
    report,
    values,
    isFromJobboard: p.isFromJobboard ?? false,
    maxReportedJobs: p.maxReportedJobs ?? REPORT_LIMITS.reportedJobsPerWorkspace,
  });
  const jobId = job.id;
  const outcome: { runId: string; isDuplicate: boolean; alertQueued?: boolean } =
    report.event === "start"
      ? await recordStart(tx, workspaceId, jobId, report, values, now)
      : report.event === "progress"
        ? await recordProgress(tx, workspaceId, jobId, report, values, now)
        : await recordFinish(tx, workspaceId, job, report, values);
  return {
    jobId,
    jobKey: report.job_key,
    runId: outcome.runId,
    isDuplicate: outcome.isDuplicate,
    truncated: values.truncated,
    alertQueued: outcome.alertQueued ?? false,
  };
}

/** ingestReportIn in a transaction of its own, as the service role; alerts go out after commit. */
export async function ingestReport(sql: Sql, p: IngestOptions): Promise<IngestResult> {
  const result = await withService(sql, (tx) => ingestReportIn(tx, p));
  if (result.alertQueued) alertsQueued(sql);
  return result;
}
