-- Run history: the daily retention job deletes runs that finished more than run_history_days
-- ago (src/server/retention.ts), keeping each job's latest run, the runs an open incident
-- points at and runs with an alert still to deliver. Logs are trimmed sooner (retention_days),
-- so a workspace keeps its runs at least as long as their logs.

alter table public.workspaces
  add column run_history_days integer not null default 90 check (run_history_days between 1 and 3650);

-- A workspace that already keeps logs longer than the default keeps its runs as long.
update public.workspaces set run_history_days = retention_days where retention_days > run_history_days;

alter table public.workspaces add constraint workspaces_run_history_covers_logs
  check (run_history_days >= retention_days);

-- Admins edit it with the other settings, under the same policy.
grant update (run_history_days) on public.workspaces to authenticated;

-- Every reference to a run is `on delete set null` (incidents, alerts, a rerun's original) or
-- `on delete cascade` (attempts), so a deleted run leaves no dangling pointer; a job's latest
-- run is never deleted (and its pointer carries no foreign key, 20261201000700). PostgreSQL
-- looks each referencing row up per deleted run: these make that lookup an index probe instead
-- of a scan of incidents (alerts, attempts and reruns already have one). Old runs themselves
-- are found through runs_workspace_finished_idx.
create index incidents_first_run_idx on public.incidents (first_run_id) where first_run_id is not null;
create index incidents_last_run_idx on public.incidents (last_run_id) where last_run_id is not null;
create index incidents_resolved_by_run_idx on public.incidents (resolved_by_run_id) where resolved_by_run_id is not null;
