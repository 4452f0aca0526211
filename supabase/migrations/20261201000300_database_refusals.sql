-- The database refuses what the app refuses, so a signed-in user talking to it directly (as
-- Supabase's PostgREST allows) can do no more than the app lets them.

-- Audit entries are written by the server only. A signed-in member cannot insert a row at all:
-- public.record_audit writes it, taking who and when from the session and the clock rather
-- than from the caller. The service role (sign-up, ingest, background work) names the actor.
drop policy "members can append their own audit entries" on public.audit_log;
revoke insert on public.audit_log from authenticated;

create function public.record_audit(
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
    if not private.has_role(target_workspace, 'viewer') then
      raise exception 'only members of this workspace can add to its audit log' using errcode = '42501';
    end if;
    -- A member is recorded under their own account's address, whatever label they send.
    label := coalesce((select u.email::text from auth.users u where u.id = signed_in), label);
  end if;
  insert into public.audit_log (workspace_id, actor_id, actor_label, action, target_type, target_id, detail, created_at)
  values (target_workspace, coalesce(signed_in, actor), label, action, target_type, target_id,
          coalesce(detail, '{}'::jsonb), now());
end
$$;

revoke all on function public.record_audit(uuid, uuid, text, text, text, text, jsonb) from public, anon;
grant execute on function public.record_audit(uuid, uuid, text, text, text, text, jsonb) to authenticated, service_role;

-- Pause and resume act in one workspace: a job id from elsewhere is refused, even for someone
-- who happens to be an operator there too.
drop function public.set_job_paused(uuid, boolean);

create function public.set_job_paused(target_workspace uuid, target_job uuid, is_paused boolean) returns boolean
language plpgsql security definer
set search_path = ''
as $$
begin
  if not private.has_role(target_workspace, 'operator')
     or not exists (select 1 from public.jobs where id = target_job and workspace_id = target_workspace) then
    raise exception 'only operators and admins of this workspace can pause or resume its jobs'
      using errcode = '42501';
  end if;
  update public.jobs set paused = is_paused
  where id = target_job and workspace_id = target_workspace and paused is distinct from is_paused;
  return found;
end
$$;

revoke all on function public.set_job_paused(uuid, uuid, boolean) from public, anon;
grant execute on function public.set_job_paused(uuid, uuid, boolean) to authenticated;

-- A job's latest run and a rerun's original are runs of the same workspace.
alter table public.runs add constraint runs_workspace_id_id_key unique (workspace_id, id);

alter table public.jobs drop constraint jobs_last_run_id_fkey;
alter table public.jobs add constraint jobs_last_run_fkey foreign key (workspace_id, last_run_id)
  references public.runs (workspace_id, id) on delete set null (last_run_id);

alter table public.runs drop constraint runs_rerun_of_fkey;
alter table public.runs add constraint runs_rerun_of_fkey foreign key (workspace_id, rerun_of)
  references public.runs (workspace_id, id) on delete set null (rerun_of);

-- Admins edit what the job form and the badge toggle edit. Identity, workspace, creator and the
-- latest-run pointer belong to the server.
revoke update on public.jobs from authenticated;
grant update (
  job_key, title, description, kind, http_target, task_name, agent_label, tool_id, tags,
  schedule_cron, schedule_timezone, schedule_period_seconds, grace_seconds, timeout_seconds,
  max_retries, concurrency_policy, enabled, paused, notify_policy, params_schema, default_params,
  public_badge
) on public.jobs to authenticated;

-- Who acknowledged an incident or cancelled a run is whoever did it.
alter policy "operators can acknowledge incidents" on public.incidents
  with check (
    (select private.has_role(workspace_id, 'operator'))
    and (acknowledged_by is null or acknowledged_by = (select auth.uid()))
  );

alter policy "operators can cancel unfinished runs" on public.runs
  with check (
    (select private.has_role(workspace_id, 'operator'))
    and status = 'canceled'
    and canceled_by = (select auth.uid())
  );
