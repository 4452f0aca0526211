-- The statistics read a few raw hours (where a window edge cuts an hour) and a job's runs per
-- day straight from runs. At ten million runs those rows sit on as many heap pages: carrying
-- what they aggregate in the index lets both be index-only scans.
drop index if exists public.runs_workspace_finished_idx;
create index runs_workspace_finished_idx on public.runs (workspace_id, finished_at desc)
  include (status, duration_ms)
  where finished_at is not null;

drop index if exists public.runs_job_time_idx;
-- workspace_id too: the read policy checks it on every row.
create index runs_job_time_idx on public.runs (job_id, queued_at desc, id desc) include (status, workspace_id);
