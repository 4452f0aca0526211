-- An agent is the parent of the jobs only it runs: when it stops answering, one "agent offline"
-- incident opens with one alert, and the missed and lost alerts of those jobs are folded into it
-- (recorded, not sent) until it is back; then one recovery lists what it missed.
-- Kept apart from job incidents: those are one per job, and everything that counts, reminds and
-- resolves them reads a job.

create table public.agent_incidents (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  agent_id uuid not null,
  opened_at timestamptz not null default now(),
  -- When the agent was last heard from, as it was when the incident opened.
  last_seen_at timestamptz,
  resolved_at timestamptz,
  unique (workspace_id, id),
  foreign key (workspace_id, agent_id) references public.agents (workspace_id, id) on delete cascade,
  check (resolved_at is null or resolved_at >= opened_at)
);

-- One open incident per agent: a second tick or deliverer finds it and adds nothing.
create unique index agent_incidents_one_open_per_agent on public.agent_incidents (agent_id) where resolved_at is null;
create index agent_incidents_workspace_time_idx on public.agent_incidents (workspace_id, opened_at desc);

alter table public.agent_incidents enable row level security;

create policy "members can read their workspace's agent incidents" on public.agent_incidents
  for select to authenticated
  using (workspace_id in (select private.member_workspaces('viewer')));

-- Only the service role opens and resolves them, as with alerts.
revoke all on public.agent_incidents from anon, authenticated;
grant select on public.agent_incidents to authenticated;
grant all on public.agent_incidents to service_role;

-- An agent's own alerts have no job. Folded alerts point at the incident that holds them; the
-- pointer stays inside the workspace.
alter table public.alerts alter column job_id drop not null;
alter table public.alerts
  add column agent_incident_id uuid,
  add constraint alerts_agent_incident_fkey foreign key (workspace_id, agent_incident_id)
    references public.agent_incidents (workspace_id, id) on delete set null (agent_incident_id),
  -- Which webhook a send went to, so members see the channel without reading the secret.
  add column channel text check (channel in ('job_slack', 'workspace_slack'));

alter table public.alerts drop constraint alerts_kind_check;
alter table public.alerts add constraint alerts_kind_check
  check (kind in ('failure', 'recovery', 'success', 'missed', 'reminder', 'stalled', 'duration', 'agent_offline', 'agent_recovery'));
alter table public.alerts add constraint alerts_job_or_agent_check
  check ((kind in ('agent_offline', 'agent_recovery')) = (job_id is null));

-- folded: recorded on an agent incident instead of sent.
alter table public.alerts drop constraint alerts_status_check;
alter table public.alerts add constraint alerts_status_check
  check (status in ('pending', 'sent', 'skipped', 'failed', 'held', 'suppressed', 'folded'));
alter table public.alerts add constraint alerts_folded_has_incident_check
  check (status <> 'folded' or agent_incident_id is not null);

-- One opening and one recovery per agent incident.
create unique index alerts_agent_incident_kind_key on public.alerts (agent_incident_id, kind)
  where kind in ('agent_offline', 'agent_recovery');
create index alerts_agent_incident_idx on public.alerts (agent_incident_id, created_at) where agent_incident_id is not null;
create index alerts_incident_time_idx on public.alerts (incident_id, created_at) where incident_id is not null;
