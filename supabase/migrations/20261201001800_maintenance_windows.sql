-- Maintenance windows: a one-off range, or a recurring cron window with a timezone and a
-- length, for one job or the whole workspace. Failures and misses inside a window are recorded
-- as ever, but Slack is not told: their alerts are held until the window ends, and go out then
-- only if the incident is still open. Operators plan them, as they acknowledge incidents.
create table public.maintenance_windows (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  -- Null: every job of the workspace.
  job_id uuid,
  title text not null check (char_length(title) between 1 and 200),
  starts_at timestamptz,
  ends_at timestamptz,
  cron text check (char_length(cron) <= 120),
  timezone text check (char_length(timezone) <= 64),
  duration_minutes integer check (duration_minutes between 1 and 10080),
  created_by uuid,
  created_at timestamptz not null default now(),
  foreign key (workspace_id, job_id) references public.jobs (workspace_id, id) on delete cascade,
  constraint maintenance_windows_shape check (
    (starts_at is not null and ends_at is not null and ends_at > starts_at
       and cron is null and timezone is null and duration_minutes is null)
    or (cron is not null and timezone is not null and duration_minutes is not null
       and starts_at is null and ends_at is null)
  )
);

create index maintenance_windows_workspace_idx on public.maintenance_windows (workspace_id, job_id);

alter table public.maintenance_windows enable row level security;

create policy "members can read their workspace's maintenance windows" on public.maintenance_windows
  for select to authenticated
  using ((select private.has_role(workspace_id, 'viewer')));

create policy "operators can plan maintenance windows" on public.maintenance_windows
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'operator')) and created_by = (select auth.uid()));

create policy "operators can remove maintenance windows" on public.maintenance_windows
  for delete to authenticated
  using ((select private.has_role(workspace_id, 'operator')));

revoke all on public.maintenance_windows from anon, authenticated;
grant select, delete on public.maintenance_windows to authenticated;
grant insert (workspace_id, job_id, title, starts_at, ends_at, cron, timezone, duration_minutes, created_by)
  on public.maintenance_windows to authenticated;
grant all on public.maintenance_windows to service_role;

-- held: waiting for its window to end (then pending, or suppressed if resolved meanwhile);
-- suppressed: never to be sent, because of a window.
alter table public.alerts drop constraint alerts_status_check;
alter table public.alerts add constraint alerts_status_check
  check (status in ('pending', 'sent', 'skipped', 'failed', 'held', 'suppressed'));
alter table public.alerts
  add column maintenance_window_id uuid references public.maintenance_windows (id) on delete set null,
  add column held_until timestamptz;

create index alerts_held_idx on public.alerts (held_until) where status = 'held';

-- A window removed early lets what it held go at the next tick (if its incident is still open).
-- Definer rights: an operator removes the window, and alerts are the service's alone.
create or replace function private.release_alerts_of_window() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  update alerts set held_until = least(held_until, now()) where maintenance_window_id = old.id and status = 'held';
  return old;
end;
$$;

create trigger maintenance_windows_release_alerts before delete on public.maintenance_windows
  for each row execute function private.release_alerts_of_window();

revoke all on function private.release_alerts_of_window() from public;
