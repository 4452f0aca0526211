-- Workspaces are the tenants; memberships give each user a role in one.
-- Also the one helper every policy goes through: private.has_role(workspace, minimum role).

create schema if not exists private;
grant usage on schema private to authenticated, service_role;

create function private.role_rank(role text) returns integer
language sql immutable
set search_path = ''
as $$
  select case role
    when 'viewer' then 1
    when 'operator' then 2
    when 'admin' then 3
    when 'owner' then 4
    else 0
  end
$$;

create function private.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table public.workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  slug text not null unique check (slug ~ '^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$'),
  timezone text not null default 'Asia/Tokyo' check (char_length(timezone) between 1 and 64),
  retention_days integer not null default 7 check (retention_days between 1 and 365),
  default_grace_seconds integer not null default 300 check (default_grace_seconds between 0 and 604800),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger workspaces_touch_updated_at before update on public.workspaces
  for each row execute function private.touch_updated_at();

create table public.memberships (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('viewer', 'operator', 'admin', 'owner')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);

-- The workspace switcher lists a user's memberships.
create index memberships_user_idx on public.memberships (user_id, workspace_id);

-- Security definer so that policies on memberships itself do not recurse.
create function private.has_role(target_workspace uuid, min_role text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    where m.workspace_id = target_workspace
      and m.user_id = (select auth.uid())
      and private.role_rank(m.role) >= private.role_rank(min_role)
  )
$$;

revoke all on function private.has_role(uuid, text) from public;
grant execute on function private.has_role(uuid, text) to authenticated, service_role;
grant execute on function private.role_rank(text) to authenticated, service_role;

alter table public.workspaces enable row level security;
alter table public.memberships enable row level security;

create policy "members can read their workspaces" on public.workspaces
  for select to authenticated
  using ((select private.has_role(id, 'viewer')));

create policy "admins can update their workspace" on public.workspaces
  for update to authenticated
  using ((select private.has_role(id, 'admin')))
  with check ((select private.has_role(id, 'admin')));

create policy "owners can delete their workspace" on public.workspaces
  for delete to authenticated
  using ((select private.has_role(id, 'owner')));

create policy "members can read their workspace's memberships" on public.memberships
  for select to authenticated
  using ((select private.has_role(workspace_id, 'viewer')));

-- Admins manage members, but only an owner may grant, change or remove the owner role.
create policy "admins can add members below owner" on public.memberships
  for insert to authenticated
  with check (
    (select private.has_role(workspace_id, 'admin'))
    and (role <> 'owner' or (select private.has_role(workspace_id, 'owner')))
  );

create policy "admins can change roles below owner" on public.memberships
  for update to authenticated
  using (
    (select private.has_role(workspace_id, 'admin'))
    and (role <> 'owner' or (select private.has_role(workspace_id, 'owner')))
  )
  with check (
    (select private.has_role(workspace_id, 'admin'))
    and (role <> 'owner' or (select private.has_role(workspace_id, 'owner')))
  );

create policy "admins can remove members below owner" on public.memberships
  for delete to authenticated
  using (
    (select private.has_role(workspace_id, 'admin'))
    and (role <> 'owner' or (select private.has_role(workspace_id, 'owner')))
  );

-- Supabase grants every table to anon and authenticated by default; narrow that to what the
-- policies above are for. The service role (ingest, background work, sign-up) keeps full access.
revoke all on public.workspaces, public.memberships from anon, authenticated;
grant select, delete on public.workspaces to authenticated;
grant update (name, timezone, retention_days, default_grace_seconds) on public.workspaces to authenticated;
grant select, insert, delete on public.memberships to authenticated;
grant update (role) on public.memberships to authenticated;
grant all on public.workspaces, public.memberships to service_role;
