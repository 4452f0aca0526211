-- Statistics from rollups kept on write, not from scanning every run of the window: per job
-- per hour (the job page) and per workspace per hour (the overview), by the hour a run finished.
-- Each holds counts by outcome, the sum of durations and a histogram of them, from which the
-- p95 is estimated (buckets a quarter power of two wide: within 9 % of the exact value).
--
-- The workspace rollup would be one row every report of the workspace updates, queuing them all
-- on its lock. So it is striped by database backend: each connection adds to its own row, and
-- a connection runs one transaction at a time, so no two transactions ever wait on one stripe.
-- A reader sums the stripes of an hour (as many as connections wrote in it).
--
-- Runs deleted by the run history setting stay counted: statistics outlive the runs they count.

create table public.run_stats_hourly (
  job_id uuid not null references public.jobs (id) on delete cascade,
  hour timestamptz not null,
  workspace_id uuid not null,
  finished integer not null default 0,
  succeeded integer not null default 0,
  failed integer not null default 0,
  with_duration integer not null default 0,
  duration_sum_ms double precision not null default 0,
  -- {"bucket": count}; see private.duration_bucket.
  duration_buckets jsonb not null default '{}',
  primary key (job_id, hour)
);

create table public.workspace_stats_hourly (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  hour timestamptz not null,
  stripe integer not null,
  finished integer not null default 0,
  succeeded integer not null default 0,
  failed integer not null default 0,
  with_duration integer not null default 0,
  duration_sum_ms double precision not null default 0,
  duration_buckets jsonb not null default '{}',
  primary key (workspace_id, hour, stripe)
);

alter table public.run_stats_hourly enable row level security;
alter table public.workspace_stats_hourly enable row level security;

create policy "members can read their workspace's job statistics" on public.run_stats_hourly
  for select to authenticated
  using (workspace_id in (select private.member_workspaces('viewer')));
create policy "members can read their workspace's statistics" on public.workspace_stats_hourly
  for select to authenticated
  using (workspace_id in (select private.member_workspaces('viewer')));

-- Written only by the trigger below: nobody can make the numbers say something else.
revoke all on public.run_stats_hourly, public.workspace_stats_hourly from anon, authenticated;
grant select on public.run_stats_hourly, public.workspace_stats_hourly to authenticated;
grant all on public.run_stats_hourly, public.workspace_stats_hourly to service_role;

-- Bucket b > 0 holds durations in [2^((b-1)/4), 2^(b/4)) ms; bucket 0 holds 0 ms.
-- No SET clause, so that it is inlined into the queries that bucket raw runs (a function with
-- one is called row by row); every name in it is pg_catalog's.
create or replace function private.duration_bucket(ms bigint) returns integer
language sql immutable
as $$
  -- In float8: numeric's log is many times slower, and a bucket edge off by a rounding step is harmless.
  select case when ms is null then null when ms < 1 then 0
              else 1 + pg_catalog.floor(4 * pg_catalog.ln(ms::float8) / pg_catalog.ln(2::float8))::integer end
$$;

-- The p95 (as percentile_cont would place it) of a histogram of {"bucket": count}, estimated by
-- interpolating within the bucket it falls in.
create or replace function private.histogram_p95(buckets jsonb) returns double precision
language sql immutable
set search_path = pg_catalog
as $$
  with b as (
    select key::integer as bucket, value::integer as n from jsonb_each_text(buckets) where value::integer > 0
  ),
  cumulative as (
    select bucket, n, sum(n) over (order by bucket) - n as before, sum(n) over () as total from b
  ),
  target as (select 1 + 0.95 * (max(total) - 1) as position from cumulative)
  select case when c.bucket = 0 then 0
              else power(2, (c.bucket - 1) / 4.0)
                   * power(power(2, 0.25), least(1, greatest(0, (t.position - c.before - 0.5) / c.n)))
         end::double precision
  from cumulative c, target t
  where t.position > c.before and t.position <= c.before + c.n
     or (t.position > c.before + c.n and c.before + c.n = c.total)
  order by c.bucket
  limit 1
$$;

-- One run's part in the rollups: +1 or -1 of its outcome and duration in the hour it finished.
create or replace function private.add_run_to_stats(
  p_workspace_id uuid, p_job_id uuid, p_finished_at timestamptz, p_status text, p_duration_ms bigint, p_sign integer
) returns void
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_hour timestamptz := date_trunc('hour', p_finished_at);
  v_succeeded integer := case when p_status = 'succeeded' then p_sign else 0 end;
  v_failed integer := case when p_status in ('failed', 'timed_out', 'lost') then p_sign else 0 end;
  v_with_duration integer := case when p_duration_ms is not null then p_sign else 0 end;
  v_sum double precision := coalesce(p_duration_ms, 0) * p_sign;
  v_bucket text := private.duration_bucket(p_duration_ms)::text;
  v_buckets jsonb := case when v_bucket is null then '{}' else jsonb_build_object(v_bucket, p_sign) end;
begin
  insert into run_stats_hourly as s (job_id, hour, workspace_id, finished, succeeded, failed, with_duration, duration_sum_ms, duration_buckets)
  values (p_job_id, v_hour, p_workspace_id, p_sign, v_succeeded, v_failed, v_with_duration, v_sum, v_buckets)
  on conflict (job_id, hour) do update set
    finished = s.finished + excluded.finished,
    succeeded = s.succeeded + excluded.succeeded,
    failed = s.failed + excluded.failed,
    with_duration = s.with_duration + excluded.with_duration,
    duration_sum_ms = s.duration_sum_ms + excluded.duration_sum_ms,
    -- One bucket moves by one.
    duration_buckets = case when v_bucket is null then s.duration_buckets
                            else jsonb_set(s.duration_buckets, array[v_bucket],
                                           to_jsonb(coalesce((s.duration_buckets->>v_bucket)::integer, 0) + p_sign)) end;

  insert into workspace_stats_hourly as s (workspace_id, hour, stripe, finished, succeeded, failed, with_duration, duration_sum_ms, duration_buckets)
  values (p_workspace_id, v_hour, pg_backend_pid(), p_sign, v_succeeded, v_failed, v_with_duration, v_sum, v_buckets)
  on conflict (workspace_id, hour, stripe) do update set
    finished = s.finished + excluded.finished,
    succeeded = s.succeeded + excluded.succeeded,
    failed = s.failed + excluded.failed,
    with_duration = s.with_duration + excluded.with_duration,
    duration_sum_ms = s.duration_sum_ms + excluded.duration_sum_ms,
    -- One bucket moves by one.
    duration_buckets = case when v_bucket is null then s.duration_buckets
                            else jsonb_set(s.duration_buckets, array[v_bucket],
                                           to_jsonb(coalesce((s.duration_buckets->>v_bucket)::integer, 0) + p_sign)) end;
end;
$$;

create or replace function private.count_run_in_stats() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  if tg_op = 'UPDATE' then
    if old.finished_at is not distinct from new.finished_at and old.status = new.status
       and old.duration_ms is not distinct from new.duration_ms then
      return null;
    end if;
    if old.finished_at is not null then
      perform private.add_run_to_stats(old.workspace_id, old.job_id, old.finished_at, old.status, old.duration_ms, -1);
    end if;
  end if;
  if new.finished_at is not null then
    perform private.add_run_to_stats(new.workspace_id, new.job_id, new.finished_at, new.status, new.duration_ms, 1);
  end if;
  return null;
end;
$$;

create trigger runs_count_in_stats after insert or update of status, finished_at, duration_ms on public.runs
  for each row execute function private.count_run_in_stats();

revoke all on function private.add_run_to_stats(uuid, uuid, timestamptz, text, bigint, integer) from public;
revoke all on function private.count_run_in_stats() from public;
grant execute on function private.histogram_p95(jsonb) to authenticated, service_role;
grant execute on function private.duration_bucket(bigint) to authenticated, service_role;

-- Recounts both rollups from the runs (as stripe 0): for the runs recorded before this
-- migration, and for a bulk load that ran with the trigger off.
create or replace function private.rebuild_run_stats() returns void
language plpgsql
set search_path = public, pg_temp
as $$
begin
  truncate run_stats_hourly, workspace_stats_hourly;
  insert into run_stats_hourly (job_id, hour, workspace_id, finished, succeeded, failed, with_duration, duration_sum_ms, duration_buckets)
  select job_id, hour, workspace_id, sum(n), sum(succeeded), sum(failed), sum(with_duration), sum(duration_sum_ms),
         coalesce(jsonb_object_agg(bucket::text, with_duration) filter (where bucket is not null), '{}')
  from (
    select job_id, date_trunc('hour', finished_at) as hour, workspace_id, private.duration_bucket(duration_ms) as bucket,
           count(*) as n,
           count(*) filter (where status = 'succeeded') as succeeded,
           count(*) filter (where status in ('failed', 'timed_out', 'lost')) as failed,
           count(duration_ms) as with_duration,
           coalesce(sum(duration_ms), 0) as duration_sum_ms
    from runs where finished_at is not null
    group by 1, 2, 3, 4
  ) per_bucket
  group by job_id, hour, workspace_id;

  insert into workspace_stats_hourly (workspace_id, hour, stripe, finished, succeeded, failed, with_duration, duration_sum_ms, duration_buckets)
  select t.workspace_id, t.hour, 0, t.finished, t.succeeded, t.failed, t.with_duration, t.duration_sum_ms, coalesce(h.buckets, '{}')
  from (
    select workspace_id, hour, sum(finished) as finished, sum(succeeded) as succeeded, sum(failed) as failed,
           sum(with_duration) as with_duration, sum(duration_sum_ms) as duration_sum_ms
    from run_stats_hourly group by 1, 2
  ) t
  left join (
    select workspace_id, hour, jsonb_object_agg(key, n) as buckets
    from (
      select s.workspace_id, s.hour, b.key, sum(b.value::integer) as n
      from run_stats_hourly s, jsonb_each_text(s.duration_buckets) b
      group by 1, 2, 3
    ) k
    where n <> 0
    group by 1, 2
  ) h using (workspace_id, hour);
end;
$$;

revoke all on function private.rebuild_run_stats() from public;

select private.rebuild_run_stats();
