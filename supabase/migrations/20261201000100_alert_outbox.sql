-- Alerts are an outbox: whatever opens or resolves an incident writes its alert row in the same
-- transaction, and a notifier delivers pending rows to Slack after commit. A crash between the
-- commit and the send, or a Slack outage, leaves the row pending for the next delivery or tick.

create table public.alerts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  job_id uuid not null,
  run_id uuid references public.runs (id) on delete set null,
  incident_id uuid references public.incidents (id) on delete set null,
  kind text not null check (kind in ('failure', 'recovery', 'success', 'missed')),
  -- Facts fixed when the alert was written (a failure's status, a missed job's due time).
  detail jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'sent', 'skipped', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  -- For a pending row: when the next delivery may take it (a lease while one is sending it).
  next_attempt_at timestamptz not null default now(),
  last_error text check (char_length(last_error) <= 500),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  foreign key (workspace_id, job_id) references public.jobs (workspace_id, id) on delete cascade
);

-- A run alerts once per kind, however often its finish is reported.
create unique index alerts_run_kind_key on public.alerts (run_id, kind) where run_id is not null;
-- One alert per incident opened or resolved: the incident, not each failure, is the news.
create unique index alerts_incident_kind_key on public.alerts (incident_id, kind)
  where incident_id is not null and kind in ('missed', 'recovery');
create index alerts_pending_idx on public.alerts (next_attempt_at, created_at) where status = 'pending';
create index alerts_job_time_idx on public.alerts (job_id, created_at);
create index alerts_workspace_time_idx on public.alerts (workspace_id, created_at desc);

alter table public.alerts enable row level security;

create policy "members can read their workspace's alerts" on public.alerts
  for select to authenticated
  using (workspace_id in (select private.member_workspaces('viewer')));

-- Only the service role writes alerts: members see what was sent, and cannot forge or hide one.
revoke all on public.alerts from anon, authenticated;
grant select on public.alerts to authenticated;
grant all on public.alerts to service_role;
