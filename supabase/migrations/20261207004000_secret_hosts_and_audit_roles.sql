-- A secret's hosts move only with a new value: otherwise an admin could point a secret at a
-- host of their own (through PostgREST, bypassing the form) and read it there. Signed-in users
-- lose the column grant; public.replace_http_secret takes both in one call.
revoke update (allowed_hosts) on public.workspace_http_secrets from authenticated;

create function public.replace_http_secret(target_workspace uuid, secret_name text, new_value text, new_hosts text[])
returns boolean
language plpgsql security definer
set search_path = ''
as $$
begin
  if not private.has_role(target_workspace, 'admin') then
    raise exception 'only admins of this workspace can replace its http secrets' using errcode = '42501';
  end if;
  update public.workspace_http_secrets
  set value = new_value, allowed_hosts = new_hosts, updated_by = (select auth.uid())
  where workspace_id = target_workspace and name = secret_name;
  return found;
end
$$;

revoke all on function public.replace_http_secret(uuid, text, text, text[]) from public, anon;
grant execute on function public.replace_http_secret(uuid, text, text, text[]) to authenticated;

-- The least role that may record each audit action: a member may only write an entry for an
-- action their role lets them perform. An action not listed here needs an admin.
create function private.audit_action_role(action text) returns text
language sql immutable
set search_path = ''
as $$
  select case
    when action in ('member.left', 'invitation.accepted') then 'viewer'
    when action in ('run.manual', 'run.rerun', 'run.canceled', 'run.bulk_rerun', 'run.bulk_cancel',
                    'incident.acknowledged', 'incident.bulk_acknowledged', 'job.paused', 'job.resumed',
                    'agent.drained', 'agent.resumed', 'agent.detached', 'maintenance.created', 'maintenance.deleted') then 'operator'
    when action in ('workspace.created') then 'owner'
    else 'admin'
  end
$$;

create or replace function public.record_audit(
  target_workspace uuid,
  actor uuid,
  actor_label text,
  action text,
  target_type text,
  target_id text,
  detail jsonb
) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  signed_in uuid := (select auth.uid());
  label text := actor_label;
begin
  if signed_in is null and current_setting('role', true) = 'authenticated' then
    raise exception 'only the signed-in user can add to the audit log' using errcode = '42501';
  end if;
  if signed_in is not null then
    if not private.has_role(target_workspace, private.audit_action_role(action)) then
      raise exception 'only members whose role performs this action can record it' using errcode = '42501';
    end if;
    -- Leaving names oneself: nobody records another member as having left.
    if action = 'member.left' and target_id is distinct from signed_in::text then
      raise exception 'a member can only record their own leaving' using errcode = '42501';
    end if;
    -- Accepting names the invitation one has just accepted.
    if action = 'invitation.accepted' and not exists (
      select 1 from public.invitations i
      where i.id::text = target_id and i.workspace_id = target_workspace and i.accepted_by = signed_in
    ) then
      raise exception 'a member can only record their own acceptance' using errcode = '42501';
    end if;
    -- A member is recorded under their own account's address, whatever label they send.
    label := coalesce((select u.email::text from auth.users u where u.id = signed_in), label);
  end if;
  insert into public.audit_log (workspace_id, actor_id, actor_label, action, target_type, target_id, detail, created_at)
  values (target_workspace, coalesce(signed_in, actor), label, action, target_type, target_id,
          coalesce(detail, '{}'::jsonb), now());
end
$$;
