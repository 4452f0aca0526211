import type { Sql } from "../db/sql";
import { withService, type Tx } from "../db/transactions";
import { settleRunEnd, type RunEndEffects } from "../incidents/run-end";
import { isDurationAlertQueued } from "../notify/outbox";
import { markLatestRun } from "../jobs/latest-run";
import type { AttemptOutcome, FinishedStatus } from "./outcome";

export type ClaimedRun = {
  id: string;
  workspaceId: string;
  jobId: string;
  params: Record<string, unknown>;
  job: {
    title: string;
    kind: "reported" | "http" | "task" | "agent";
    http_target: unknown;
    task_name: string | null;
    timeout_seconds: number | null;
    max_retries: number;
    concurrency_policy: "allow" | "forbid" | "replace";
  };
};

export type Claim =
  | { kind: "claimed"; run: ClaimedRun; replacedRunIds: string[] }
  | { kind: "skipped"; runId: string; message: string }
  | { kind: "not-queued" };

export type ClaimDecision = { kind: "claim"; replacedRunIds: string[] } | { kind: "skipped"; message: string };

/**
 * The job's concurrency policy for a queued run whose row the caller has locked, decided under
 * the job's row lock: `forbid` skips this run while another runs; `replace` cancels the running
 * ones. Shared by the executor's claim and an agent's.
 */
export async function decideClaim(
  tx: Tx,
  run: { id: string; job_id: string; concurrency_policy: "allow" | "forbid" | "replace" },
): Promise<ClaimDecision> {
  // One decision at a time per job.
  await tx`select id from jobs where id = ${run.job_id} for update`;
  const running = await tx<{ id: string }[]>`
    select id from runs where job_id = ${run.job_id} and status = 'running' and id <> ${run.id}`;
  if (running.length > 0 && run.concurrency_policy === "forbid") {
    const message = "Skipped: another run of this job was still running (concurrency policy: forbid)";
    await tx`
      update runs set status = 'skipped', finished_at = now(), message = ${message}, dispatch_error = null
      where id = ${run.id}`;
    return { kind: "skipped", message };
  }
  let replacedRunIds: string[] = [];
  if (running.length > 0 && run.concurrency_policy === "replace") {
    const replaced = await tx<{ id: string }[]>`
      update runs set status = 'canceled', finished_at = now(), message = ${`Replaced by run ${run.id} (concurrency policy: replace)`}
      where id in ${tx(running.map((r) => r.id))} and status = 'running'
      returning id`;
    replacedRunIds = replaced.map((r) => r.id);
  }
  return { kind: "claim", replacedRunIds };
}

/**
 * Takes a queued run for execution, atomically: a run is claimed at most once however often it
 * is dispatched. Runs of agent jobs are left for their agent, which claims them itself.
 */
export async function claimRun(sql: Sql, runId: string): Promise<Claim> {
  return withService(sql, async (tx) => {
    const [row] = await tx<(ClaimedRun["job"] & { id: string; workspace_id: string; job_id: string; params: Record<string, unknown>; status: string })[]>`
      select r.id, r.workspace_id, r.job_id, r.params, r.status, j.title, j.kind, j.http_target, j.task_name,
             j.timeout_seconds, j.max_retries, j.concurrency_policy
      from runs r join jobs j on j.id = r.job_id
      where r.id = ${runId}
      for update of r`;
    if (!row || row.status !== "queued" || row.kind === "agent") return { kind: "not-queued" };
    const decision = await decideClaim(tx, row);
    if (decision.kind === "skipped") return { kind: "skipped", runId: row.id, message: decision.message };
    await tx`
      update runs set status = 'running', started_at = coalesce(started_at, now()), dispatch_error = null
      where id = ${row.id}`;
    await markLatestRun(tx, row.job_id, row.id);
    const { id, workspace_id, job_id, params, status: _status, ...job } = row;
    void _status;
    return { kind: "claimed", run: { id, workspaceId: workspace_id, jobId: job_id, params, job }, replacedRunIds: decision.replacedRunIds };
  });
}

/** Records the start of attempt `attempt` (1-based) on the run. */
export async function startAttempt(sql: Sql, run: ClaimedRun, attempt: number): Promise<void> {
  await withService(sql, async (tx) => {
    await tx`
      insert into run_attempts (workspace_id, run_id, attempt) values (${run.workspaceId}, ${run.id}, ${attempt})
      on conflict (run_id, attempt) do update set status = 'running', started_at = now(), finished_at = null`;
    await tx`update runs set attempt = ${attempt} where id = ${run.id} and workspace_id = ${run.workspaceId}`;
  });
}

export async function finishAttempt(sql: Sql, run: ClaimedRun, attempt: number, outcome: AttemptOutcome): Promise<void> {
  await withService(sql, (tx) => tx`
    update run_attempts set status = ${outcome.status}, finished_at = now(),
           duration_ms = (extract(epoch from now() - started_at) * 1000)::bigint,
           exit_code = ${outcome.exitCode}, message = ${outcome.message}
    where run_id = ${run.id} and attempt = ${attempt} and workspace_id = ${run.workspaceId}`);
}

/** Stage progress reported by a running task. */
export async function recordProgress(
  sql: Sql,
  run: ClaimedRun,
  update: { stage?: string; stages?: string[]; percent?: number; message?: string },
): Promise<void> {
  await withService(sql, (tx) => tx`
    update runs set
      current_stage = coalesce(${update.stage ?? null}, current_stage),
      stages = coalesce(${update.stages ?? null}::text[], stages),
      progress_percent = coalesce(${update.percent ?? null}, progress_percent),
      message = coalesce(${update.message ?? null}, message)
    where id = ${run.id} and workspace_id = ${run.workspaceId} and status = 'running'`);
}

export type FinishedRun = RunEndEffects & { runId: string; workspaceId: string; jobId: string; status: FinishedStatus };

/**
 * Records how the run ended; settleRunEnd then decides the job's incidents and the alert, in the
 * same transaction. A run that was canceled meanwhile keeps its canceled status.
 */
export async function finishRun(sql: Sql, run: ClaimedRun, outcome: AttemptOutcome): Promise<FinishedRun | null> {
  return withService(sql, async (tx) => {
    const [finished] = await tx<{ id: string }[]>`
      update runs set status = ${outcome.status}, finished_at = now(),
             duration_ms = (extract(epoch from now() - coalesce(started_at, queued_at)) * 1000)::bigint,
             exit_code = ${outcome.exitCode}, message = ${outcome.message}, stderr_tail = ${outcome.stderr}, log = ${outcome.log},
             progress_percent = case when ${outcome.status} = 'succeeded' and stages is not null then 100 else progress_percent end
      where id = ${run.id} and workspace_id = ${run.workspaceId} and status = 'running'
      returning id`;
    if (!finished) return null;
    const effects = await settleRunEnd(tx, run.id);
    const alertQueued = effects.alertQueued || (outcome.status === "succeeded" && (await isDurationAlertQueued(tx, run.id)));
    return { ...effects, runId: run.id, workspaceId: run.workspaceId, jobId: run.jobId, status: outcome.status, alertQueued };
  });
}

/** True once the run has been canceled (by a person or a `replace`) while it ran. */
export async function isCanceled(sql: Sql, runId: string): Promise<boolean> {
  const [row] = await withService(sql, (tx) => tx<{ status: string }[]>`select status from runs where id = ${runId}`);
  return row?.status === "canceled";
}
