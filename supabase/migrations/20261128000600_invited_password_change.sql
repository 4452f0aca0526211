-- An invited account's first password is one-time: the app asks for a new one at first sign-in
-- (built-in auth; the flag lives where Supabase keeps user metadata).
create or replace function private.find_or_create_invitee(target_workspace uuid, invitee_email text, password_hash text)
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
  insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data)
  values (lower(invitee_email), password_hash, now(), jsonb_build_object('must_change_password', true))
  returning id into existing;
  return query select existing, true;
end
$$;
