-- Duration rules per job, for runs that succeed in a suspicious time: *too fast* (under
-- min_duration_seconds: a backup that "succeeds" in 2 s did nothing) and *too slow* (over
-- max_duration_seconds, or over slow_p95_factor × the p95 of the job's last slow_p95_runs
-- successes). Failures are alerted as failures already. A judged run keeps its status: the
-- rule it broke is written on it, and Slack hears of it once, whichever path finished it.
alter table public.jobs
  add column min_duration_seconds integer check (min_duration_seconds between 1 and 604800),
  add column max_duration_seconds integer check (max_duration_seconds between 1 and 604800),
  add column slow_p95_factor double precision check (slow_p95_factor between 1 and 1000),
  add column slow_p95_runs integer not null default 20 check (slow_p95_runs between 5 and 1000),
  add constraint jobs_duration_rules_order check (min_duration_seconds < max_duration_seconds);

grant update (min_duration_seconds, max_duration_seconds, slow_p95_factor, slow_p95_runs) on public.jobs to authenticated;

alter table public.runs
  add column duration_rule text check (duration_rule in ('too_fast', 'over_max', 'over_p95')),
  -- The bound the run crossed: the minimum, the ceiling, or factor × p95 as it stood.
  add column duration_limit_ms bigint check (duration_limit_ms >= 0),
  add constraint runs_duration_rule_has_limit check ((duration_rule is null) = (duration_limit_ms is null));

create or replace function private.judge_run_duration() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_min integer;
  v_max integer;
  v_factor double precision;
  v_runs integer;
  v_count integer;
  v_p95 double precision;
begin
  select min_duration_seconds, max_duration_seconds, slow_p95_factor, slow_p95_runs
    into v_min, v_max, v_factor, v_runs
  from jobs where id = new.job_id;
  new.duration_rule := null;
  new.duration_limit_ms := null;
  if v_min is null and v_max is null and v_factor is null then
    return new;
  end if;
  if v_min is not null and new.duration_ms < v_min * 1000 then
    new.duration_rule := 'too_fast';
    new.duration_limit_ms := v_min * 1000;
  elsif v_max is not null and new.duration_ms > v_max * 1000 then
    new.duration_rule := 'over_max';
    new.duration_limit_ms := v_max * 1000;
  elsif v_factor is not null then
    select count(*), percentile_cont(0.95) within group (order by duration_ms)
      into v_count, v_p95
    from (
      select r.duration_ms from runs r
      where r.job_id = new.job_id and r.status = 'succeeded' and r.duration_ms is not null and r.id <> new.id
      order by r.finished_at desc
      limit v_runs
    ) baseline;
    -- Under five successes the job has no p95 worth comparing with yet.
    if v_count >= 5 and new.duration_ms > v_factor * v_p95 then
      new.duration_rule := 'over_p95';
      new.duration_limit_ms := round(v_factor * v_p95)::bigint;
    end if;
  end if;
  return new;
end;
$$;

create trigger runs_judge_duration_on_insert before insert on public.runs
  for each row when (new.status = 'succeeded' and new.duration_ms is not null)
  execute function private.judge_run_duration();

-- Without a column list: a finish may set the status in any statement's shape.
create trigger runs_judge_duration_on_finish before update on public.runs
  for each row when (new.status = 'succeeded' and new.duration_ms is not null
                     and (old.status is distinct from 'succeeded' or old.duration_ms is distinct from new.duration_ms))
  execute function private.judge_run_duration();

alter table public.alerts drop constraint alerts_kind_check;
alter table public.alerts add constraint alerts_kind_check
  check (kind in ('failure', 'recovery', 'success', 'missed', 'reminder', 'stalled', 'duration'));

-- The alert a judged run calls for, written with it unless the job never notifies.
create or replace function private.queue_duration_alert() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  insert into alerts (workspace_id, job_id, run_id, kind, detail)
  select new.workspace_id, new.job_id, new.id, 'duration',
         jsonb_build_object('rule', new.duration_rule, 'limit_ms', new.duration_limit_ms, 'duration_ms', new.duration_ms)
  from jobs where id = new.job_id and notify_policy <> 'never'
  on conflict do nothing;
  return null;
end;
$$;

create trigger runs_queue_duration_alert_on_insert after insert on public.runs
  for each row when (new.duration_rule is not null)
  execute function private.queue_duration_alert();

-- Without a column list: the rule is set by the trigger above, not by the statement.
create trigger runs_queue_duration_alert_on_finish after update on public.runs
  for each row when (new.duration_rule is not null and old.duration_rule is null)
  execute function private.queue_duration_alert();

-- Whether a recorded run left an alert to deliver: what a report's caller asks after
-- private.ingest_reports, so the notifier wakes for a duration alert too. Volatile, so that in
-- the statement that called ingest_reports it sees what that call wrote.
create or replace function private.run_has_duration_alert(p_run_id uuid) returns boolean
language sql
volatile
set search_path = public, pg_temp
as $$
  select exists (select 1 from alerts where run_id = p_run_id and kind = 'duration' and status = 'pending');
$$;

revoke all on function private.judge_run_duration() from public;
revoke all on function private.queue_duration_alert() from public;
revoke all on function private.run_has_duration_alert(uuid) from public;
grant execute on function private.run_has_duration_alert(uuid) to service_role;
