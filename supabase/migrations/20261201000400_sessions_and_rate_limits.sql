-- Built-in sessions are signed cookies, valid until they expire unless something on the server
-- can say otherwise: each account has a session version that every request compares with the
-- one its cookie carries. Signing out, changing the password or losing a membership bumps it,
-- so a copied cookie dies with the session it was copied from. Both tables of this file live in
-- the private schema: they belong to no workspace, and no API (PostgREST included) serves them.
create table private.session_versions (
  user_id uuid primary key references auth.users (id) on delete cascade,
  version integer not null default 0 check (version >= 0),
  updated_at timestamptz not null default now()
);

alter table private.session_versions enable row level security;
-- No policies and no grants: only the server (service role) reads or bumps versions.
revoke all on private.session_versions from public, anon, authenticated;
grant all on private.session_versions to service_role;

-- A removed member is signed out everywhere: their open pages must not keep what they saw. A
-- trigger, not the app, so a removal cannot forget it; security definer because the remover
-- (an admin, under RLS) has no right to the table itself.
create function private.bump_session_version_of_removed_member() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  -- Only a removal from a workspace that stays: when the account itself is deleted there is
  -- nothing left to revoke, and when the workspace is deleted there is nothing left to see (its
  -- owner, who deleted it, keeps working in their other workspaces).
  insert into private.session_versions (user_id, version)
  select old.user_id, 1
  where exists (select 1 from auth.users u where u.id = old.user_id)
    and exists (select 1 from public.workspaces w where w.id = old.workspace_id)
  on conflict (user_id) do update set version = private.session_versions.version + 1, updated_at = now();
  return old;
end
$$;

revoke all on function private.bump_session_version_of_removed_member() from public;

create trigger memberships_removed_bumps_session_version
  after delete on public.memberships
  for each row execute function private.bump_session_version_of_removed_member();

-- Rate-limit counters, shared by every server instance (serverless ones included, which share
-- nothing else). One row per bucket: a window opens at the bucket's first hit and counts hits
-- until it closes; the next hit after that opens a new one. Closed rows are swept now and then.
create table private.rate_limit_counters (
  bucket text primary key check (char_length(bucket) <= 300),
  window_start timestamptz not null,
  window_seconds integer not null check (window_seconds > 0),
  hits integer not null default 0
);

create index rate_limit_counters_window_idx on private.rate_limit_counters (window_start);

alter table private.rate_limit_counters enable row level security;
-- No policies and no grants: only the server (service role) counts.
revoke all on private.rate_limit_counters from public, anon, authenticated;
grant all on private.rate_limit_counters to service_role;
