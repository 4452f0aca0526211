-- Members may leave a workspace themselves; a workspace never loses its last owner.

create policy "members can leave" on public.memberships
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- Security definer: the check must see every owner, whatever the caller may read.
create function private.keep_an_owner() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return coalesce(new, old);
  end if;
  -- Deleting the workspace (or the account) takes its memberships with it: nothing to keep.
  if not exists (select 1 from public.workspaces w where w.id = old.workspace_id)
     or not exists (select 1 from auth.users u where u.id = old.user_id) then
    return coalesce(new, old);
  end if;
  if not exists (
    select 1 from public.memberships m
    where m.workspace_id = old.workspace_id and m.role = 'owner' and m.user_id <> old.user_id
  ) then
    raise exception 'A workspace needs an owner: make someone else owner first.'
      using errcode = 'P0001', hint = 'last_owner';
  end if;
  return coalesce(new, old);
end
$$;

create trigger memberships_keep_an_owner
  before update of role or delete on public.memberships
  for each row execute function private.keep_an_owner();

-- Inviting by email in built-in auth: an admin of the workspace finds the account, or creates
-- it with a one-time password (hashed by the app). Supabase Auth invites through its own API.
create function private.find_or_create_invitee(target_workspace uuid, invitee_email text, password_hash text)
returns table (user_id uuid, created boolean)
language plpgsql security definer
set search_path = ''
as $$
declare
  existing uuid;
begin
  if not private.has_role(target_workspace, 'admin') then
    raise exception 'only admins can invite members' using errcode = '42501';
  end if;
  select u.id into existing from auth.users u where lower(u.email) = lower(invitee_email);
  if existing is not null then
    return query select existing, false;
    return;
  end if;
  insert into auth.users (email, encrypted_password, email_confirmed_at)
  values (lower(invitee_email), password_hash, now())
  returning id into existing;
  return query select existing, true;
end
$$;

revoke all on function private.find_or_create_invitee(uuid, text, text) from public;
grant execute on function private.find_or_create_invitee(uuid, text, text) to authenticated;
