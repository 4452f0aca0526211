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

type StatsWindow = { name: string; from: Date; to: Date | null };
type StatsScope = { workspaceId: string; jobId?: string };

const EMPTY: WindowStats = { finished: 0, succeeded: 0, failed: 0, success_rate: null, avg_duration_ms: null, p95_duration_ms: null };

/**
 * Outcome counts, average and p95 duration of the runs that finished in each window (contiguous,
 * oldest first; the last may be open-ended). Whole hours come from the hourly rollups kept on
 * write (run_stats_hourly for a job, workspace_stats_hourly for a workspace); the hours a window
 * edge cuts through are read from the runs themselves, so counts and averages are exact. The p95
 * is estimated from the rollups' histograms, within 9 %.
 */
async function statsOver(db: Db, scope: StatsScope, windows: StatsWindow[]): Promise<Map<string, WindowStats>> {
  const names = windows.map((w) => w.name);
  const froms = windows.map((w) => w.from.toISOString());
  const tos = windows.map((w) => w.to?.toISOString() ?? null);
  const earliest = windows[0]!.from;
  const jobId = scope.jobId ?? null;
  const rollup = jobId
    ? db`select s.hour, s.finished, s.succeeded, s.failed, s.with_duration, s.duration_sum_ms, s.duration_buckets
         from run_stats_hourly s where s.job_id = ${jobId} and s.workspace_id = ${scope.workspaceId} and s.hour >= ${earliest}`
    : db`select s.hour, s.finished, s.succeeded, s.failed, s.with_duration, s.duration_sum_ms, s.duration_buckets
         from workspace_stats_hourly s where s.workspace_id = ${scope.workspaceId} and s.hour >= ${earliest}`;
  const rows = await db<(WindowStats & { name: string })[]>`
    with w as (
      select * from unnest(${db.array(names)}::text[], ${db.array(froms)}::timestamptz[], ${db.array(tos)}::timestamptz[]) as w(name, "from", "to")
    ),
    -- Hours a window's edge falls inside: read from the runs.
    edges as (
      select distinct date_trunc('hour', edge) as hour
      from (select "from" as edge from w union all select "to" from w where "to" is not null) e
      where date_trunc('hour', edge) <> edge
    ),
    rolled as (
      select w.name, r.finished, r.succeeded, r.failed, r.with_duration, r.duration_sum_ms, r.duration_buckets
      from (${rollup}) r
      join w on r.hour >= w."from" and (w."to" is null or r.hour + interval '1 hour' <= w."to")
      where r.hour not in (select hour from edges)
    ),
    raw as (
      select w.name, private.duration_bucket(r.duration_ms) as bucket,
             count(*)::int as finished,
             count(*) filter (where r.status = 'succeeded')::int as succeeded,
             count(*) filter (where r.status in ('failed', 'timed_out', 'lost'))::int as failed,
             count(r.duration_ms)::int as with_duration,
             coalesce(sum(r.duration_ms), 0)::float8 as duration_sum_ms
      from edges e
      -- One index range per edge hour, never a scan of the window.
      cross join lateral (
        select r.status, r.duration_ms, r.finished_at from runs r
        where r.workspace_id = ${scope.workspaceId} and (${jobId}::uuid is null or r.job_id = ${jobId})
          and r.finished_at >= e.hour and r.finished_at < e.hour + interval '1 hour'
        -- A fence: kept as its own subquery, it is an index range scan per edge, not pulled up
        -- into a join the planner may answer with a scan of every run.
        offset 0
      ) r
      join w on r.finished_at >= w."from" and (w."to" is null or r.finished_at < w."to")
      group by 1, 2
    ),
    parts as (
      select * from rolled
      union all
      select name, finished, succeeded, failed, with_duration, duration_sum_ms,
             case when bucket is null then '{}'::jsonb else jsonb_build_object(bucket::text, with_duration) end
      from raw
    ),
    totals as (
      select name, sum(finished)::int as finished, sum(succeeded)::int as succeeded, sum(failed)::int as failed,
             sum(with_duration)::float8 as with_duration, sum(duration_sum_ms)::float8 as duration_sum_ms
      from parts group by name
    ),
    histograms as (
      select name, jsonb_object_agg(key, n) as buckets
      from (select name, key, sum(value::int) as n from parts, jsonb_each_text(duration_buckets) group by 1, 2) b
      where n > 0
      group by name
    )
    select t.name, t.finished, t.succeeded, t.failed,
           t.succeeded::float8 / nullif(t.succeeded + t.failed, 0) as success_rate,
           t.duration_sum_ms / nullif(t.with_duration, 0) as avg_duration_ms,
           private.histogram_p95(h.buckets) as p95_duration_ms
    from totals t left join histograms h using (name)`;
  const stats = new Map<string, WindowStats>();
  for (const row of rows) {
    if (row.finished === 0) continue;
    stats.set(row.name, {
      finished: row.finished,
      succeeded: row.succeeded,
      failed: row.failed,
      success_rate: row.success_rate,
      avg_duration_ms: row.avg_duration_ms,
      p95_duration_ms: row.p95_duration_ms,
    });
  }
  return stats;
}

/** The overview's cards: runs that finished in the last 24 h before `now`, and in the 24 h before that, for comparison. */
export async function getOverviewStats(db: Db, p: { workspaceId: string; now: Date; jobId?: string }): Promise<OverviewStats> {
  const dayAgo = new Date(p.now.getTime() - 24 * HOUR);
  const twoDaysAgo = new Date(p.now.getTime() - 48 * HOUR);
  const stats = await statsOver(db, { workspaceId: p.workspaceId, jobId: p.jobId }, [
    { name: "previous", from: twoDaysAgo, to: dayAgo },
    { name: "current", from: dayAgo, to: p.now },
  ]);
  return { current: stats.get("current") ?? EMPTY, previous: stats.get("previous") ?? EMPTY };
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
  const stats = await statsOver(db, { workspaceId: p.workspaceId, jobId: p.jobId }, [{ name: "since", from: p.since, to: null }]);
  const { finished, ...rest } = stats.get("since") ?? EMPTY;
  return { runs: finished, ...rest };
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

export type ActivityCount = { at: string; succeeded: number; failed: number; other: number };

/**
 * The workspace's runs per hour over the last 24 hours and per calendar day (in its timezone)
 * over the last 14, from the hourly rollups: what the overview charts. A run counts in the hour
 * it finished; in a zone half an hour off UTC, an hour's runs count on the day the hour began.
 */
export async function getWorkspaceActivity(
  db: Db,
  p: { workspaceId: string; timezone: string; now: Date },
): Promise<{ hours: ActivityCount[]; days: ActivityCount[] }> {
  const [hours, days] = await Promise.all([
    db<ActivityCount[]>`
      with hours as (
        select generate_series(date_trunc('hour', ${p.now}::timestamptz) - interval '23 hours',
                               date_trunc('hour', ${p.now}::timestamptz), interval '1 hour') as hour
      ),
      counts as (
        select hour, sum(succeeded)::int as succeeded, sum(failed)::int as failed,
               sum(finished - succeeded - failed)::int as other
        from workspace_stats_hourly
        where workspace_id = ${p.workspaceId} and hour >= date_trunc('hour', ${p.now}::timestamptz) - interval '23 hours'
        group by hour
      )
      select to_char(h.hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, coalesce(c.succeeded, 0) as succeeded, coalesce(c.failed, 0) as failed, coalesce(c.other, 0) as other
      from hours h left join counts c on c.hour = h.hour
      order by h.hour`,
    db<ActivityCount[]>`
      with today as (select (${p.now}::timestamptz at time zone ${p.timezone})::date as day),
      days as (
        select generate_series((select day from today) - 13, (select day from today), interval '1 day')::date as day
      ),
      counts as (
        select (hour at time zone ${p.timezone})::date as day, sum(succeeded)::int as succeeded, sum(failed)::int as failed,
               sum(finished - succeeded - failed)::int as other
        from workspace_stats_hourly
        where workspace_id = ${p.workspaceId}
          and hour >= (((select day from today) - 13)::timestamp at time zone ${p.timezone}) - interval '1 hour'
        group by 1
      )
      select to_char(d.day, 'YYYY-MM-DD') as at, coalesce(c.succeeded, 0) as succeeded, coalesce(c.failed, 0) as failed,
             coalesce(c.other, 0) as other
      from days d left join counts c on c.day = d.day
      order by d.day`,
  ]);
  return { hours, days };
}
