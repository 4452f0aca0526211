-- The rollup trigger fired, and queued an after-trigger event, for every run inserted or
-- updated, though only finished runs count. A WHEN clause skips the rest without calling the
-- function: the schedule tick queues thousands of unfinished runs at the top of the hour, and
-- every start report inserts one. INSERT and UPDATE need their own triggers, since an INSERT
-- trigger's WHEN cannot read OLD. The insert trigger keeps the old name, which bulk loads
-- disable while they load runs.
drop trigger runs_count_in_stats on public.runs;

create trigger runs_count_in_stats after insert on public.runs
  for each row when (new.finished_at is not null)
  execute function private.count_run_in_stats();

create trigger runs_recount_in_stats after update of status, finished_at, duration_ms on public.runs
  for each row when (old.finished_at is distinct from new.finished_at
                     or old.status is distinct from new.status
                     or old.duration_ms is distinct from new.duration_ms)
  execute function private.count_run_in_stats();
