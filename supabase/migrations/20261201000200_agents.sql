-- Agents run scripts where they live. Each has its own token (`jba_…`, only a hash kept), a
-- heartbeat, and a lease on the runs it claims: a run whose lease runs out is `lost`.

create table public.agents (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100),
  prefix text not null unique check (char_length(prefix) between 8 and 32),
  secret_hash text not null,
  labels text[] not null default '{}' check (cardinality(labels) <= 20),
  host text check (char_length(host) <= 255),
  os text check (char_length(os) <= 100),
  version text check (char_length(version) <= 50),
  max_concurrency integer not null default 1 check (max_concurrency between 1 and 64),
  load real,
  -- A drained agent keeps what it runs and takes nothing new.
  drained boolean not null default false,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  registered_at timestamptz,
  last_seen_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  unique (workspace_id, id),
  unique (workspace_id, name)
);

create index agents_workspace_idx on public.agents (workspace_id, created_at desc);

-- Agent jobs are bound to one agent, or to any agent carrying a label.
alter table public.jobs drop constraint jobs_kind_check;
alter table public.jobs add constraint jobs_kind_check check (kind in ('reported', 'http', 'task', 'agent'));
alter table public.jobs add column agent_id uuid;
alter table public.jobs add column agent_label text check (char_length(agent_label) between 1 and 50);
alter table public.jobs add constraint jobs_agent_fkey foreign key (workspace_id, agent_id)
  references public.agents (workspace_id, id) on delete set null (agent_id);
alter table public.jobs add constraint jobs_agent_binding check (kind <> 'agent' or agent_id is not null or agent_label is not null);
create index jobs_agent_idx on public.jobs (agent_id) where agent_id is not null;

-- A run an agent holds: whose it is and until when, renewed by each heartbeat.
alter table public.runs drop constraint runs_status_check;
alter table public.runs add constraint runs_status_check
  check (status in ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'canceled', 'skipped', 'lost'));
alter table public.runs add column agent_id uuid;
alter table public.runs add column lease_expires_at timestamptz;
alter table public.runs add constraint runs_agent_fkey foreign key (workspace_id, agent_id)
  references public.agents (workspace_id, id) on delete set null (agent_id);
create index runs_agent_time_idx on public.runs (agent_id, queued_at desc) where agent_id is not null;
create index runs_lease_idx on public.runs (lease_expires_at) where status = 'running' and lease_expires_at is not null;

alter table public.incidents drop constraint incidents_kind_check;
alter table public.incidents add constraint incidents_kind_check check (kind in ('failed', 'missed', 'timed_out', 'lost'));

alter table public.agents enable row level security;

create policy "members can read their workspace's agents" on public.agents
  for select to authenticated
  using (workspace_id in (select private.member_workspaces('viewer')));

create policy "admins can create agent tokens" on public.agents
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'admin')) and created_by = (select auth.uid()));

-- Drain, resume and detach are an operator's controls (seed 004's worker list).
create policy "operators can drain, resume and detach agents" on public.agents
  for update to authenticated
  using ((select private.has_role(workspace_id, 'operator')))
  with check ((select private.has_role(workspace_id, 'operator')));

-- A detached agent stays detached: its token is gone for good.
create function private.agents_keep_revoked() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.revoked_at is not null and new.revoked_at is null then
    raise exception 'a revoked agent token cannot be restored' using errcode = '42501';
  end if;
  return new;
end;
$$;

create trigger agents_keep_revoked before update on public.agents
  for each row execute function private.agents_keep_revoked();

-- Nobody signed in reads a token's hash back; the agent API alone compares it.
revoke all on public.agents from anon, authenticated;
grant select (id, workspace_id, name, prefix, labels, host, os, version, max_concurrency, load, drained,
              created_by, created_at, registered_at, last_seen_at, revoked_at, revoked_by)
  on public.agents to authenticated;
grant insert (workspace_id, name, prefix, secret_hash, labels, max_concurrency, created_by) on public.agents to authenticated;
grant update (drained, revoked_at, revoked_by) on public.agents to authenticated;
grant all on public.agents to service_role;

-- A missed incident remembers from when a run would have counted, so a late report (spooled
-- while the hub was down) of a run inside that window resolves it: no false "missed" stays open.
alter table public.incidents add column missed_since timestamptz;
