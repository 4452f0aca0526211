-- An incident opens when a job turns failing, missed or timed out, and resolves on its next success.

create table public.incidents (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  job_id uuid not null,
  kind text not null check (kind in ('failed', 'missed', 'timed_out')),
  opened_at timestamptz not null default now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid references auth.users (id) on delete set null,
  resolved_at timestamptz,
  resolved_by_run_id uuid references public.runs (id) on delete set null,
  first_run_id uuid references public.runs (id) on delete set null,
  last_run_id uuid references public.runs (id) on delete set null,
  failure_count integer not null default 1 check (failure_count >= 1),
  last_message text,
  updated_at timestamptz not null default now(),
  foreign key (workspace_id, job_id) references public.jobs (workspace_id, id) on delete cascade,
  check (resolved_at is null or resolved_at >= opened_at)
);

create trigger incidents_touch_updated_at before update on public.incidents
  for each row execute function private.touch_updated_at();

-- At most one open incident per job: repeated failures add to it.
create unique index incidents_one_open_per_job on public.incidents (job_id) where resolved_at is null;
-- The sidebar badge and the incidents page read only open incidents.
create index incidents_open_idx on public.incidents (workspace_id, opened_at desc) where resolved_at is null;
create index incidents_workspace_time_idx on public.incidents (workspace_id, opened_at desc, id desc);

alter table public.incidents enable row level security;

create policy "members can read their workspace's incidents" on public.incidents
  for select to authenticated
  using ((select private.has_role(workspace_id, 'viewer')));

create policy "operators can acknowledge incidents" on public.incidents
  for update to authenticated
  using ((select private.has_role(workspace_id, 'operator')))
  with check ((select private.has_role(workspace_id, 'operator')));

revoke all on public.incidents from anon, authenticated;
grant select on public.incidents to authenticated;
grant update (acknowledged_at, acknowledged_by) on public.incidents to authenticated;
grant all on public.incidents to service_role;
