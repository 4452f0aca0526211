import type { Sql } from "./db/sql";
import { withService } from "./db/transactions";

const BATCH = 500;
const RUN_BATCH = 1000;

/**
 * Drops logs and stderr of runs that finished longer ago than their workspace keeps them
 * (seed 004: 7 days by default). Runs and their status stay. Works in small batches, each its
 * own short transaction, so ingest is never blocked behind it. Answers how many runs it trimmed.
 */
export async function trimOldLogs(sql: Sql, now: Date, batchSize = BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const trimmed = await withService(sql, (tx) => tx<{ id: string }[]>`
      update runs set log = null, stderr_tail = null
      where id in (
        select r.id from runs r join workspaces w on w.id = r.workspace_id
        where r.finished_at < ${now}::timestamptz - make_interval(days => w.retention_days)
          and (r.log is not null or r.stderr_tail is not null)
        limit ${batchSize}
        for update of r skip locked)
      returning id`);
    total += trimmed.length;
    if (trimmed.length < batchSize) return total;
  }
}

export type RunTrimOptions = {
  batchSize?: number;
  /** Start no new batch after this long, so one call fits a serverless step; `done` says if it stopped early. */
  budgetMs?: number;
};

export type RunTrim = { deleted: number; done: boolean };

/**
 * Deletes runs that finished longer ago than their workspace's run history (90 days by default),
 * except what is still in use: a job's latest run (job health and the job list read it), the runs
 * an open incident points at, and runs with an alert still to deliver. Each batch is one short
 * transaction that skips rows another transaction holds, so reports never queue behind it. The
 * references that remain (resolved incidents, sent alerts, reruns) are set null by their foreign
 * keys, and attempts go with their run. Answers how many runs it deleted.
 */
export async function trimOldRuns(sql: Sql, now: Date, options: RunTrimOptions = {}): Promise<RunTrim> {
  const batchSize = options.batchSize ?? RUN_BATCH;
  const stopAt = options.budgetMs === undefined ? Infinity : Date.now() + options.budgetMs;
  const workspaces = await withService(sql, (tx) => tx<{ id: string; cutoff: Date }[]>`
    select id, ${now}::timestamptz - make_interval(days => run_history_days) as cutoff from workspaces order by id`);
  let deleted = 0;
  for (const workspace of workspaces) {
    // Walks the workspace's finished runs oldest first (runs_workspace_finished_idx). The kept
    // runs stay behind the cursor, so no batch reads them again.
    let after: Date | null = null;
    for (;;) {
      if (Date.now() >= stopAt) return { deleted, done: false };
      const [batch] = await withService(sql, (tx) => tx<{ deleted: number; last: Date | null }[]>`
        with doomed as (
          select r.id, r.finished_at from runs r
          where r.workspace_id = ${workspace.id}
            and r.finished_at < ${workspace.cutoff}
            ${after ? tx`and r.finished_at >= ${after}` : tx``}
            and r.status not in ('queued', 'running')
            and not exists (select 1 from jobs j where j.id = r.job_id and j.last_run_id = r.id)
            and not exists (
              select 1 from incidents i
              where i.job_id = r.job_id and i.resolved_at is null and r.id in (i.first_run_id, i.last_run_id))
            and not exists (select 1 from alerts a where a.run_id = r.id and a.status = 'pending')
          order by r.finished_at
          limit ${batchSize}
          for update of r skip locked),
        gone as (delete from runs r using doomed d where r.id = d.id returning d.finished_at)
        select count(*)::int as deleted, max(finished_at) as last from gone`);
      deleted += batch!.deleted;
      if (batch!.deleted < batchSize) break;
      after = batch!.last;
    }
  }
  return { deleted, done: true };
}

export type RetentionResult = { runsDeleted: number; logsTrimmed: number };

/** Both trims, for the in-process scheduler: old runs go first, so their logs need no trimming. */
export async function applyRetention(sql: Sql, now: Date): Promise<RetentionResult> {
  const { deleted } = await trimOldRuns(sql, now);
  return { runsDeleted: deleted, logsTrimmed: await trimOldLogs(sql, now) };
}
