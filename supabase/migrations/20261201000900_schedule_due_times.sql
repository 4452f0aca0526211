-- The schedule tick reads only the jobs that are due, not every scheduled job each minute. Each
-- scheduled job (enabled, not paused, with a cron or a period) has a row here saying when its
-- next slot is to be queued (next_slot_at) and when its latest slot is next to be checked for a
-- miss (next_check_at). The tick computes both from the schedule, on the schedule's own wall
-- clock, which SQL cannot do, and writes them back. A change that moves a job's slots or its
-- grace sets them to -infinity, so the next tick looks at that job again.
--
-- A table of its own rather than columns on jobs: the tick rewrites these every slot, and a
-- narrow row with two indexes takes that cheaply, where a job row would update every index
-- on jobs and its updated_at.

create table public.schedule_due_times (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  next_slot_at timestamptz not null default '-infinity',
  next_check_at timestamptz not null default '-infinity'
);

create index schedule_due_times_slot_idx on public.schedule_due_times (next_slot_at);
create index schedule_due_times_check_idx on public.schedule_due_times (next_check_at);

-- Only the tick (the service role) reads or writes it; members never see it.
alter table public.schedule_due_times enable row level security;
revoke all on public.schedule_due_times from anon, authenticated;
grant all on public.schedule_due_times to service_role;

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
    on conflict (job_id) do update set next_slot_at = '-infinity', next_check_at = '-infinity';
  end if;
  return null;
end;
$$;

-- Only when a column that moves slots is written: a report's update of the latest-run pointer
-- must not pay for this.
create trigger jobs_track_schedule
  after insert or update of schedule_cron, schedule_timezone, schedule_period_seconds, grace_seconds, enabled, paused, kind
  on public.jobs
  for each row execute function private.track_job_schedule();

-- A workspace's default grace is the grace of every job that sets none of its own.
create or replace function private.reset_workspace_due_times() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  if new.default_grace_seconds is distinct from old.default_grace_seconds then
    update schedule_due_times d set next_check_at = '-infinity'
    from jobs j
    where j.id = d.job_id and j.workspace_id = new.id and j.grace_seconds is null;
  end if;
  return null;
end;
$$;

create trigger workspaces_reset_due_times after update on public.workspaces
  for each row execute function private.reset_workspace_due_times();

revoke all on function private.track_job_schedule() from public;
revoke all on function private.reset_workspace_due_times() from public;

-- Jobs scheduled before this migration are due at the next tick.
insert into public.schedule_due_times (job_id)
select id from public.jobs
where enabled and not paused and (schedule_cron is not null or schedule_period_seconds is not null);
