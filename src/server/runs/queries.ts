import type { Db } from "../db/sql";
import type { RunStatus, RunTrigger } from "./status";
import { cursorText, fetchPage, type Keyset, type Page } from "../db/page";
import type { DurationRule } from "../notify/messages";

export type RunListItem = {
  id: string;
  job_id: string;
  job_title: string;
  job_key: string;
  /** The job's kind, which says what exit_code means (see runCode). */
  job_kind: string;
  status: RunStatus;
  trigger: RunTrigger;
  attempt: number;
  queued_at: Date;
  /** queued_at with microseconds, for keyset cursors. */
  cursor_at: string;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  exit_code: number | null;
  message: string | null;
  host: string | null;
  stderr_tail: string | null;
  /** The duration rule a success broke, with the bound it crossed; null when none. */
  duration_rule: DurationRule | null;
  duration_limit_ms: number | null;
};

export type RunFilters = {
  workspaceId: string;
  jobId?: string;
  status?: RunStatus;
  trigger?: RunTrigger;
  from?: Date;
  to?: Date;
};

/** What the runs page filters by, as a condition on `runs r`: shared by its list and its bulk actions. */
export function runsMatching(db: Db, f: RunFilters) {
  return db`r.workspace_id = ${f.workspaceId}
      and (${f.jobId ?? null}::uuid is null or r.job_id = ${f.jobId ?? null})
      and (${f.status ?? null}::text is null or r.status = ${f.status ?? null})
      and (${f.trigger ?? null}::text is null or r.trigger = ${f.trigger ?? null})
      and (${f.from ?? null}::timestamptz is null or r.queued_at >= ${f.from ?? null})
      and (${f.to ?? null}::timestamptz is null or r.queued_at < ${f.to ?? null})`;
}

/**
 * Runs newest first, keyset-paginated by (queued_at, id), for the workspace or one job. `after`
 * is the keyset of the previous page's last run: (queued_at as cursor_at gives it, id).
 */
export async function listRuns(db: Db, f: RunFilters & { after?: Keyset; limit?: number }): Promise<Page<RunListItem>> {
  // Text with microseconds, cast in SQL: see cursorText.
  const [afterAt, afterId] = f.after ?? [null, null];
  return fetchPage(f.limit ?? 50, (take) => db<RunListItem[]>`
    select r.id, r.job_id, j.title as job_title, j.job_key, j.kind as job_kind, r.status, r.trigger, r.attempt, r.queued_at,
           ${cursorText(db, "r.queued_at")} as cursor_at,
           r.started_at, r.finished_at, r.duration_ms, r.exit_code, r.message, r.host, r.stderr_tail,
           r.duration_rule, r.duration_limit_ms
    from runs r
    join jobs j on j.id = r.job_id
    where ${runsMatching(db, f)}
      and (${afterAt}::text is null or (r.queued_at, r.id) < (${afterAt}::text::timestamptz, ${afterId}::uuid))
    order by r.queued_at desc, r.id desc
    limit ${take}`, (run) => [run.cursor_at, run.id]);
}

export type RunDetail = RunListItem & {
  workspace_id: string;
  triggered_by: string | null;
  triggered_by_email: string | null;
  canceled_by_email: string | null;
  agent_id: string | null;
  agent_name: string | null;
  rerun_of: string | null;
  external_id: string | null;
  params: Record<string, unknown>;
  scheduled_for: Date | null;
  log: string | null;
  stages: string[] | null;
  current_stage: string | null;
  progress_percent: number | null;
  dispatch_error: string | null;
  params_schema: Record<string, unknown> | null;
};

export async function getRun(db: Db, p: { workspaceId: string; runId: string }): Promise<RunDetail | undefined> {
  const [run] = await db<RunDetail[]>`
    select r.id, r.workspace_id, r.job_id, j.title as job_title, j.job_key, j.kind as job_kind, r.status, r.trigger, r.attempt,
           r.queued_at, r.started_at, r.finished_at, r.duration_ms, r.exit_code, r.message, r.host, r.stderr_tail,
           r.duration_rule, r.duration_limit_ms, r.triggered_by, r.rerun_of, r.external_id, r.params, r.scheduled_for, r.log, r.stages, r.current_stage,
           r.progress_percent::float8 as progress_percent, r.dispatch_error, j.params_schema,
           (select m.email from public.workspace_members(r.workspace_id) m where m.user_id = r.triggered_by) as triggered_by_email,
           (select m.email from public.workspace_members(r.workspace_id) m where m.user_id = r.canceled_by) as canceled_by_email,
           r.agent_id, a.name as agent_name
    from runs r
    join jobs j on j.id = r.job_id
    left join agents a on a.id = r.agent_id
    where r.workspace_id = ${p.workspaceId} and r.id = ${p.runId}`;
  return run;
}

export type RunningRun = {
  id: string;
  job_id: string;
  job_title: string;
  started_at: Date | null;
  queued_at: Date;
  stages: string[] | null;
  current_stage: string | null;
  progress_percent: number | null;
  message: string | null;
  host: string | null;
};

/** Runs in progress now, oldest first (served by runs_active_idx). */
export async function listRunningRuns(db: Db, workspaceId: string): Promise<RunningRun[]> {
  return db<RunningRun[]>`
    select r.id, r.job_id, j.title as job_title, r.started_at, r.queued_at, r.stages, r.current_stage,
           r.progress_percent::float8 as progress_percent, r.message, r.host
    from runs r join jobs j on j.id = r.job_id
    where r.workspace_id = ${workspaceId} and r.status = 'running'
    order by r.started_at nulls last, r.id
    limit 50`;
}

export type RunAttempt = {
  attempt: number;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  exit_code: number | null;
  message: string | null;
};

export async function listRunAttempts(db: Db, p: { workspaceId: string; runId: string }): Promise<RunAttempt[]> {
  return db<RunAttempt[]>`
    select attempt, status, started_at, finished_at, duration_ms, exit_code, message
    from run_attempts
    where workspace_id = ${p.workspaceId} and run_id = ${p.runId}
    order by attempt`;
}

/** A job as the runs list names it. */
export type RunsJob = { id: string; title: string; job_key: string };

/** A job by its key or its id, for filters that accept either. */
export async function findJobByKeyOrId(db: Db, workspaceId: string, keyOrId: string): Promise<RunsJob | undefined> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(keyOrId);
  const [job] = await db<RunsJob[]>`
    select id, title, job_key from jobs
    where workspace_id = ${workspaceId} and ${isId ? db`id = ${keyOrId}::uuid` : db`job_key = ${keyOrId}`}`;
  return job;
}

/** What queuing a run by hand needs of its job: that it is in the workspace, and its parameters' schema. */
export async function findJobToRun(db: Db, p: { workspaceId: string; jobId: string }): Promise<{ id: string; params_schema: Record<string, unknown> | null } | undefined> {
  const [job] = await db<{ id: string; params_schema: Record<string, unknown> | null }[]>`
    select id, params_schema from jobs where workspace_id = ${p.workspaceId} and id = ${p.jobId}`;
  return job;
}
