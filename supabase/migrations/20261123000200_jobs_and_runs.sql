-- Jobs are keyed things that run repeatedly; runs are single executions of them.

create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  job_key text not null check (char_length(job_key) between 1 and 200),
  title text not null check (char_length(title) between 1 and 200),
  description text check (char_length(description) <= 2000),
  kind text not null default 'reported' check (kind in ('reported', 'http', 'task')),
  schedule_cron text check (char_length(schedule_cron) <= 120),
  schedule_timezone text check (char_length(schedule_timezone) <= 64),
  schedule_period_seconds integer check (schedule_period_seconds > 0),
  -- null: the workspace's default grace period applies.
  grace_seconds integer check (grace_seconds between 0 and 604800),
  timeout_seconds integer check (timeout_seconds > 0),
  max_retries integer not null default 0 check (max_retries between 0 and 20),
  concurrency_policy text not null default 'allow' check (concurrency_policy in ('allow', 'forbid', 'replace')),
  enabled boolean not null default true,
  paused boolean not null default false,
  tags text[] not null default '{}',
  notify_policy text not null default 'failures_and_recoveries'
    check (notify_policy in ('failures_and_recoveries', 'every_run', 'never')),
  params_schema jsonb,
  default_params jsonb not null default '{}'::jsonb,
  -- http jobs: {method, url, headers}; header values name workspace secrets, never hold them.
  http_target jsonb,
  -- task jobs: the name of a handler registered in the codebase.
  task_name text,
  tool_id text check (char_length(tool_id) <= 200),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, job_key),
  -- Lets runs and incidents reference (workspace, job) so they can never cross workspaces.
  unique (workspace_id, id),
  check (schedule_cron is null or schedule_period_seconds is null),
  check (kind <> 'http' or http_target is not null),
  check (kind <> 'task' or task_name is not null)
);

create trigger jobs_touch_updated_at before update on public.jobs
  for each row execute function private.touch_updated_at();

create index jobs_workspace_title_idx on public.jobs (workspace_id, title, id);
create index jobs_workspace_created_idx on public.jobs (workspace_id, created_at desc, id desc);
create index jobs_tags_idx on public.jobs using gin (tags);

create table public.runs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  job_id uuid not null,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'canceled', 'skipped')),
  trigger text not null check (trigger in ('report', 'schedule', 'manual', 'rerun', 'api')),
  triggered_by uuid references auth.users (id) on delete set null,
  rerun_of uuid references public.runs (id) on delete set null,
  -- The reporter's own run id: pairs a start report with its finish.
  external_id text check (char_length(external_id) <= 200),
  attempt integer not null default 1 check (attempt >= 1),
  params jsonb not null default '{}'::jsonb,
  scheduled_for timestamptz,
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms bigint check (duration_ms >= 0),
  exit_code integer,
  message text,
  stderr_tail text,
  log text,
  host text check (char_length(host) <= 255),
  stages text[],
  current_stage text,
  progress_percent numeric(5, 2) check (progress_percent between 0 and 100),
  -- Why a queued run has not been handed to the executor yet; cleared once it is.
  dispatch_error text,
  canceled_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (workspace_id, job_id) references public.jobs (workspace_id, id) on delete cascade,
  check (finished_at is null or started_at is null or finished_at >= started_at)
);

create trigger runs_touch_updated_at before update on public.runs
  for each row execute function private.touch_updated_at();

-- Run history of one job and of the workspace, newest first, keyset by (queued_at, id).
create index runs_job_time_idx on public.runs (job_id, queued_at desc, id desc);
create index runs_workspace_time_idx on public.runs (workspace_id, queued_at desc, id desc);
create index runs_workspace_status_time_idx on public.runs (workspace_id, status, queued_at desc, id desc);
-- Overview statistics over recently finished runs.
create index runs_workspace_finished_idx on public.runs (workspace_id, finished_at desc)
  where finished_at is not null;
-- Running and queued work is a small, hot subset.
create index runs_active_idx on public.runs (workspace_id, job_id, status)
  where status in ('queued', 'running');
create unique index runs_external_id_key on public.runs (job_id, external_id)
  where external_id is not null;
-- One scheduled run per slot, however many schedule ticks see it.
create unique index runs_schedule_slot_key on public.runs (job_id, scheduled_for)
  where trigger = 'schedule';
create index runs_rerun_of_idx on public.runs (rerun_of) where rerun_of is not null;

alter table public.jobs enable row level security;
alter table public.runs enable row level security;

create policy "members can read their workspace's jobs" on public.jobs
  for select to authenticated
  using ((select private.has_role(workspace_id, 'viewer')));

create policy "admins can create jobs" on public.jobs
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can edit jobs" on public.jobs
  for update to authenticated
  using ((select private.has_role(workspace_id, 'admin')))
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can delete jobs" on public.jobs
  for delete to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

create policy "members can read their workspace's runs" on public.runs
  for select to authenticated
  using ((select private.has_role(workspace_id, 'viewer')));

-- Operators start runs by hand; reported and scheduled runs come from the service role.
create policy "operators can queue manual runs and reruns" on public.runs
  for insert to authenticated
  with check (
    (select private.has_role(workspace_id, 'operator'))
    and trigger in ('manual', 'rerun')
    and status = 'queued'
    and triggered_by = (select auth.uid())
  );

create policy "operators can cancel unfinished runs" on public.runs
  for update to authenticated
  using ((select private.has_role(workspace_id, 'operator')) and status in ('queued', 'running'))
  with check ((select private.has_role(workspace_id, 'operator')) and status = 'canceled');

revoke all on public.jobs, public.runs from anon, authenticated;
grant select, insert, update, delete on public.jobs to authenticated;
grant select on public.runs to authenticated;
grant insert (workspace_id, job_id, status, trigger, triggered_by, rerun_of, params) on public.runs to authenticated;
grant update (status, finished_at, message, canceled_by) on public.runs to authenticated;
grant all on public.jobs, public.runs to service_role;
