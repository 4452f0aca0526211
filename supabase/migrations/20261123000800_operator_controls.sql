-- What operators may do to jobs without being able to edit them, and who a workspace's
-- members are, each through a function that checks the role itself.

-- Pause and resume are operator actions (seed 004), but the jobs table is admin-only for
-- updates: this touches the one column, for operators and above.
create function public.set_job_paused(target_job uuid, is_paused boolean) returns boolean
language plpgsql security definer
set search_path = ''
as $$
declare
  job_workspace uuid;
begin
  select workspace_id into job_workspace from public.jobs where id = target_job;
  if job_workspace is null or not private.has_role(job_workspace, 'operator') then
    raise exception 'only operators and admins of this workspace can pause or resume its jobs'
      using errcode = '42501';
  end if;
  update public.jobs set paused = is_paused where id = target_job and paused is distinct from is_paused;
  return found;
end
$$;

revoke all on function public.set_job_paused(uuid, boolean) from public, anon;
grant execute on function public.set_job_paused(uuid, boolean) to authenticated;

-- Members see each other's email (who triggered a run, who acknowledged); auth.users itself
-- stays closed.
create function public.workspace_members(target_workspace uuid)
returns table (user_id uuid, email text, role text, joined_at timestamptz)
language sql stable security definer
set search_path = ''
as $$
  select m.user_id, u.email::text, m.role, m.created_at
  from public.memberships m
  join auth.users u on u.id = m.user_id
  where m.workspace_id = target_workspace
    and private.has_role(target_workspace, 'viewer')
  order by u.email
$$;

revoke all on function public.workspace_members(uuid) from public, anon;
grant execute on function public.workspace_members(uuid) to authenticated;
