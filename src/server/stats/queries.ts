import type { Db } from "../db/sql";

export type WindowStats = {
  finished: number;
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed + timed out); canceled and skipped runs do not count. Null with no such runs. */
  success_rate: number | null;
  avg_duration_ms: number | null;
  p95_duration_ms: number | null;
};

export type OverviewStats = { current: WindowStats; previous: WindowStats };

const HOUR = 3_600_000;

/**
 * The overview's cards: runs that finished in the last 24 h before `now`, and in the 24 h
 * before that, for comparison. Served by runs_workspace_finished_idx.
 */
export async function getOverviewStats(db: Db, p: { workspaceId: string; now: Date; jobId?: string }): Promise<OverviewStats> {
  const dayAgo = new Date(p.now.getTime() - 24 * HOUR);
  const twoDaysAgo = new Date(p.now.getTime() - 48 * HOUR);
  const rows = await db<(WindowStats & { window: "current" | "previous" })[]>`
    select case when finished_at >= ${dayAgo} then 'current' else 'previous' end as window,
           count(*)::int as finished,
           count(*) filter (where status = 'succeeded')::int as succeeded,
           count(*) filter (where status in ('failed', 'timed_out', 'lost'))::int as failed,
           (count(*) filter (where status = 'succeeded'))::float8
             / nullif(count(*) filter (where status in ('succeeded', 'failed', 'timed_out', 'lost')), 0) as success_rate,
           avg(duration_ms)::float8 as avg_duration_ms,
           percentile_cont(0.95) within group (order by duration_ms)::float8 as p95_duration_ms
    from runs
    where workspace_id = ${p.workspaceId}
      and finished_at >= ${twoDaysAgo} and finished_at < ${p.now}
      and (${p.jobId ?? null}::uuid is null or job_id = ${p.jobId ?? null})
    group by 1`;
  const empty: WindowStats = { finished: 0, succeeded: 0, failed: 0, success_rate: null, avg_duration_ms: null, p95_duration_ms: null };
  const pick = (window: "current" | "previous") => {
    const row = rows.find((r) => r.window === window);
    if (!row) return empty;
    const { window: _window, ...stats } = row;
    void _window;
    return stats;
  };
  return { current: pick("current"), previous: pick("previous") };
}

export type JobStats = {
  runs: number;
  succeeded: number;
  failed: number;
  success_rate: number | null;
  avg_duration_ms: number | null;
  p95_duration_ms: number | null;
};

/** A job's statistics over runs that finished since `since`. */
export async function getJobStats(db: Db, p: { workspaceId: string; jobId: string; since: Date }): Promise<JobStats> {
  const [row] = await db<JobStats[]>`
    select count(*)::int as runs,
           count(*) filter (where status = 'succeeded')::int as succeeded,
           count(*) filter (where status in ('failed', 'timed_out', 'lost'))::int as failed,
           (count(*) filter (where status = 'succeeded'))::float8
             / nullif(count(*) filter (where status in ('succeeded', 'failed', 'timed_out', 'lost')), 0) as success_rate,
           avg(duration_ms)::float8 as avg_duration_ms,
           percentile_cont(0.95) within group (order by duration_ms)::float8 as p95_duration_ms
    from runs
    where workspace_id = ${p.workspaceId} and job_id = ${p.jobId} and finished_at >= ${p.since}`;
  return row!;
}

export type DayCount = { day: string; succeeded: number; failed: number; other: number };

/**
 * Runs per calendar day in the workspace's timezone (a run at 23:30 UTC is the next day in
 * Tokyo), for the last `days` days including today; days without runs are present with zeros.
 */
export async function getRunsByDay(
  db: Db,
  p: { workspaceId: string; jobId: string; timezone: string; days: number; now: Date },
): Promise<DayCount[]> {
  return db<DayCount[]>`
    with days as (
      select generate_series(
        (${p.now}::timestamptz at time zone ${p.timezone})::date - ${p.days - 1}::int,
        (${p.now}::timestamptz at time zone ${p.timezone})::date,
        interval '1 day')::date as day
    ),
    counts as (
      select (queued_at at time zone ${p.timezone})::date as day,
             count(*) filter (where status = 'succeeded')::int as succeeded,
             count(*) filter (where status in ('failed', 'timed_out', 'lost'))::int as failed,
             count(*) filter (where status not in ('succeeded', 'failed', 'timed_out', 'lost'))::int as other
      from runs
      where workspace_id = ${p.workspaceId} and job_id = ${p.jobId}
        and queued_at >= ((${p.now}::timestamptz at time zone ${p.timezone})::date - ${p.days - 1}::int)::timestamp
                         at time zone ${p.timezone}
      group by 1
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(c.succeeded, 0) as succeeded,
           coalesce(c.failed, 0) as failed, coalesce(c.other, 0) as other
    from days d left join counts c on c.day = d.day
    order by d.day`;
}

export type RecentFailure = {
  id: string;
  job_id: string;
  job_title: string;
  status: "failed" | "timed_out" | "lost";
  finished_at: Date | null;
  queued_at: Date;
  message: string | null;
  exit_code: number | null;
  stderr_tail: string | null;
};

export async function listRecentFailures(db: Db, p: { workspaceId: string; limit: number }): Promise<RecentFailure[]> {
  return db<RecentFailure[]>`
    select r.id, r.job_id, j.title as job_title, r.status, r.finished_at, r.queued_at, r.message, r.exit_code, r.stderr_tail
    from runs r join jobs j on j.id = r.job_id
    where r.workspace_id = ${p.workspaceId} and r.status in ('failed', 'timed_out', 'lost')
    order by r.queued_at desc, r.id desc
    limit ${p.limit}`;
}
