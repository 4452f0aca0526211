-- Stall detection: a running run whose progress (its stage, percent, log or stderr tail) has
-- not moved for the job's `stall_minutes` opens a `stalled` incident, with a Slack alert,
-- though the run has not failed or timed out yet. `progress_at` is when it last moved, noted
-- by a trigger whichever path wrote the progress (reports, pings, agents, the executor).
alter table public.jobs add column stall_minutes integer check (stall_minutes between 1 and 1440);
grant update (stall_minutes) on public.jobs to authenticated;

alter table public.runs add column progress_at timestamptz;

create or replace function private.note_run_progress() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  new.progress_at := now();
  return new;
end;
$$;

create trigger runs_note_progress before update of current_stage, progress_percent, stages, log, stderr_tail on public.runs
  for each row when (old.current_stage is distinct from new.current_stage
                     or old.progress_percent is distinct from new.progress_percent
                     or old.stages is distinct from new.stages
                     or old.log is distinct from new.log
                     or old.stderr_tail is distinct from new.stderr_tail)
  execute function private.note_run_progress();

revoke all on function private.note_run_progress() from public;

alter table public.incidents drop constraint incidents_kind_check;
alter table public.incidents add constraint incidents_kind_check
  check (kind in ('failed', 'missed', 'timed_out', 'lost', 'stalled'));

alter table public.alerts drop constraint alerts_kind_check;
alter table public.alerts add constraint alerts_kind_check
  check (kind in ('failure', 'recovery', 'success', 'missed', 'reminder', 'stalled'));
