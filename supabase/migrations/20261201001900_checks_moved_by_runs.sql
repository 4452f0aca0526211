-- A run moves its job's next miss check forward when it arrives, as Healthchecks moves a check's
-- alert time on each ping: the minute a slot's checks fall due then touches only the jobs that
-- did not run, not every job sharing the schedule.
--
-- SQL cannot work out a cron slot in a zone, so the tick works out ahead of time what a run
-- would change: check_after_run_at is where next_check_at moves once a run counts for the slot
-- being waited on, and counts_from is the earliest start that counts for it. A run consumes
-- them; the tick fills them in again at a quiet moment. Until it does, the job is checked at
-- next_check_at as before, so a late refill costs time, never a check.
alter table public.schedule_due_times
  add column counts_from timestamptz,
  add column check_after_run_at timestamptz;

-- The rows a run has moved on, for the tick to fill in again, soonest check first.
create index schedule_due_times_refill_idx on public.schedule_due_times (next_check_at)
  where check_after_run_at is null;

create or replace function private.move_checks_for_runs() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  -- A row the tick holds is skipped, not waited for: the tick then checks that job as it always
  -- did, and a report never waits on the tick nor deadlocks with it.
  update schedule_due_times d
  set next_check_at = d.check_after_run_at, counts_from = null, check_after_run_at = null
  where d.job_id in (
    select due.job_id from schedule_due_times due
    where due.job_id = new.job_id and due.check_after_run_at is not null
      and coalesce(new.started_at, new.queued_at) >= due.counts_from
    for update skip locked);
  return null;
end;
$$;

-- The tick moves a scheduled run's check itself, in the write that records the slot as queued:
-- the thousands of runs it queues at the top of the hour do not call this at all.
create trigger runs_move_checks after insert on public.runs
  for each row when (new.trigger <> 'schedule')
  execute function private.move_checks_for_runs();

revoke all on function private.move_checks_for_runs() from public;

-- A change that moves a job's slots resets what a run would do too.
create or replace function private.track_job_schedule() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
declare
  is_scheduled boolean := new.enabled and not new.paused
    and (new.schedule_cron is not null or new.schedule_period_seconds is not null);
begin
  if tg_op = 'UPDATE'
     and new.schedule_cron is not distinct from old.schedule_cron
     and new.schedule_timezone is not distinct from old.schedule_timezone
     and new.schedule_period_seconds is not distinct from old.schedule_period_seconds
     and new.grace_seconds is not distinct from old.grace_seconds
     and new.enabled is not distinct from old.enabled
     and new.paused is not distinct from old.paused
     and new.kind is not distinct from old.kind then
    return null;
  end if;
  if not is_scheduled then
    delete from schedule_due_times where job_id = new.id;
  else
    insert into schedule_due_times (job_id) values (new.id)
    on conflict (job_id) do update
      set next_slot_at = '-infinity', next_check_at = '-infinity', counts_from = null, check_after_run_at = null;
  end if;
  return null;
end;
$$;

create or replace function private.reset_workspace_due_times() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  if new.default_grace_seconds is distinct from old.default_grace_seconds then
    update schedule_due_times d set next_check_at = '-infinity', counts_from = null, check_after_run_at = null
    from jobs j
    where j.id = d.job_id and j.workspace_id = new.id and j.grace_seconds is null;
  end if;
  return null;
end;
$$;
