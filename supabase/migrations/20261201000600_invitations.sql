-- An invitation is a pending membership, not an account. Built-in sign-up never verifies an
-- email address, so anyone could register someone else's address first; attaching whatever
-- account holds the invited address would hand that stranger the workspace. A membership now
-- comes only from someone presenting the invitation's secret link, signed in as (or creating)
-- the invited address. Only a SHA-256 of the link's token is kept.
create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  email text not null check (char_length(email) between 3 and 254 and email = lower(email)),
  role text not null check (role in ('viewer', 'operator', 'admin', 'owner')),
  token_hash text not null unique,
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  check (accepted_at is null or revoked_at is null)
);

-- The members page lists a workspace's pending invitations.
create index invitations_workspace_idx on public.invitations (workspace_id, created_at desc);

alter table public.invitations enable row level security;

create policy "admins can read their workspace's invitations" on public.invitations
  for select to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

-- Inviting as owner is for owners, as with every other way to grant the role.
create policy "admins can invite below owner" on public.invitations
  for insert to authenticated
  with check (
    (select private.has_role(workspace_id, 'admin'))
    and (role <> 'owner' or (select private.has_role(workspace_id, 'owner')))
    and invited_by = (select auth.uid())
    and accepted_at is null and revoked_at is null
  );

create policy "admins can revoke invitations" on public.invitations
  for update to authenticated
  using ((select private.has_role(workspace_id, 'admin')) and (role <> 'owner' or (select private.has_role(workspace_id, 'owner'))))
  with check ((select private.has_role(workspace_id, 'admin')) and (role <> 'owner' or (select private.has_role(workspace_id, 'owner'))));

-- Nobody signed in reads a hash back, not even the admin who made it; accepting is the
-- server's (service role), which finds the row by the hash of the token it was handed.
revoke all on public.invitations from anon, authenticated;
grant select (id, workspace_id, email, role, invited_by, created_at, expires_at, accepted_at, accepted_by, revoked_at, revoked_by)
  on public.invitations to authenticated;
grant insert (workspace_id, email, role, token_hash, invited_by, expires_at) on public.invitations to authenticated;
grant update (revoked_at, revoked_by) on public.invitations to authenticated;
grant all on public.invitations to service_role;

-- Gone with the one-time-password invitation that needed them.
drop function private.find_or_create_invitee(uuid, text, text);
