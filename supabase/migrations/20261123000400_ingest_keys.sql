-- Per-workspace secrets for the report and read APIs. Only a hash is stored; the prefix
-- identifies a key in lists and lets the API find the row before a constant-time compare.

create table public.ingest_keys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100),
  prefix text not null unique check (char_length(prefix) between 8 and 32),
  secret_hash text not null,
  scope text not null default 'report' check (scope in ('report', 'read')),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null
);

create index ingest_keys_workspace_idx on public.ingest_keys (workspace_id, created_at desc);

alter table public.ingest_keys enable row level security;

create policy "admins can read their workspace's keys" on public.ingest_keys
  for select to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

create policy "admins can create keys" on public.ingest_keys
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'admin')) and created_by = (select auth.uid()));

create policy "admins can rename and revoke keys" on public.ingest_keys
  for update to authenticated
  using ((select private.has_role(workspace_id, 'admin')))
  with check ((select private.has_role(workspace_id, 'admin')));

-- Nobody signed in reads a hash back, not even an admin: it is for the API alone.
revoke all on public.ingest_keys from anon, authenticated;
grant select (id, workspace_id, name, prefix, scope, created_by, created_at, last_used_at, revoked_at, revoked_by)
  on public.ingest_keys to authenticated;
grant insert (workspace_id, name, prefix, secret_hash, scope, created_by) on public.ingest_keys to authenticated;
grant update (name, revoked_at, revoked_by) on public.ingest_keys to authenticated;
grant all on public.ingest_keys to service_role;
