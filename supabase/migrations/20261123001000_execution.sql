-- Execution of managed jobs: every attempt of a run is kept (so retries are visible), and a
-- job may send its alerts to its own Slack webhook, kept apart like the workspace's.

create table public.run_attempts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  run_id uuid not null references public.runs (id) on delete cascade,
  attempt integer not null check (attempt >= 1),
  status text not null default 'running'
    check (status in ('running', 'succeeded', 'failed', 'timed_out', 'canceled')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms bigint check (duration_ms >= 0),
  exit_code integer,
  message text,
  unique (run_id, attempt)
);

alter table public.run_attempts enable row level security;

create policy "members can read their workspace's run attempts" on public.run_attempts
  for select to authenticated
  using ((select private.has_role(workspace_id, 'viewer')));

revoke all on public.run_attempts from anon, authenticated;
grant select on public.run_attempts to authenticated;
grant all on public.run_attempts to service_role;

create table public.job_secrets (
  job_id uuid primary key,
  workspace_id uuid not null,
  slack_webhook_url text check (char_length(slack_webhook_url) <= 500),
  updated_at timestamptz not null default now(),
  foreign key (workspace_id, job_id) references public.jobs (workspace_id, id) on delete cascade
);

create trigger job_secrets_touch_updated_at before update on public.job_secrets
  for each row execute function private.touch_updated_at();

alter table public.job_secrets enable row level security;

create policy "admins can read their workspace's job secrets" on public.job_secrets
  for select to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

create policy "admins can set job secrets" on public.job_secrets
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can change job secrets" on public.job_secrets
  for update to authenticated
  using ((select private.has_role(workspace_id, 'admin')))
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can clear job secrets" on public.job_secrets
  for delete to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

revoke all on public.job_secrets from anon, authenticated;
grant select, insert, update, delete on public.job_secrets to authenticated;
grant all on public.job_secrets to service_role;

-- The schedule tick finds stuck runs and overdue jobs without scanning every run.
create index runs_running_started_idx on public.runs (started_at) where status = 'running';
create index runs_queued_idx on public.runs (queued_at) where status = 'queued';
