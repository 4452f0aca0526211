-- A report is one call to the database: authenticate the key, upsert the job, write the run,
-- point the job at it, open or resolve its incident and write its alert, all inside
-- private.ingest_reports. The server groups reports that arrive together into one call; each
-- report is its own subtransaction there, so it is recorded whole or not at all.
--
-- The application has already validated and cut every field to its documented limits; these
-- functions only write. Refusals use SQLSTATEs of their own, which the server maps to answers:
--   JB409  the job is run by Jobboard (http or task) and reports cannot change it
--   JB403  the workspace has as many report-created jobs as it may

-- Every report moves its job's latest-run pointer. With a foreign key (and the index deleting
-- runs would then need), that update rewrites every index of jobs; without, it is a HOT update
-- of the row alone. Nothing is lost: a job's latest run is never deleted (run history keeps
-- it), and its runs go when the job does.
alter table public.jobs drop constraint if exists jobs_last_run_id_fkey;

create or replace function private.jsonb_text_array(value jsonb) returns text[]
language sql immutable
set search_path = pg_catalog
as $$
  select case when value is null or jsonb_typeof(value) <> 'array' then null
              else array(select jsonb_array_elements_text(value)) end
$$;

-- Points the job at this run unless a later run is already its latest.
create or replace function private.mark_latest_run(p_job_id uuid, p_run_id uuid) returns void
language sql
set search_path = public, pg_temp
as $$
  update jobs j set last_run_id = p_run_id
  from runs r
  where j.id = p_job_id and r.id = p_run_id
    and (j.last_run_id is null or j.last_run_id = r.id
         or (select latest.queued_at from runs latest where latest.id = j.last_run_id) <= r.queued_at)
$$;

-- One report, already authenticated for p_workspace_id. Answers
-- {job_id, run_id, duplicate, alert_queued}; raises JB409/JB403 for refusals.
create or replace function private.ingest_report(
  p_workspace_id uuid,
  r jsonb,
  p_now timestamptz,
  p_max_reported_jobs integer,
  p_from_jobboard boolean
) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_key text := r->>'job_key';
  v_event text := coalesce(r->>'event', 'finish');
  v_external text := r->>'run_id';
  v_title text := r->>'title';
  v_tags text[] := private.jsonb_text_array(r->'tags');
  v_stages text[] := private.jsonb_text_array(r->'stages');
  v_percent numeric := (r->>'percent')::numeric;
  v_existing_kind text;
  v_old_title text;
  v_old_tool_id text;
  v_old_tags text[];
  v_reported_jobs integer;
  v_job_id uuid;
  v_policy text;
  v_run_id uuid;
  v_run_status text;
  v_run_started timestamptz;
  v_status text;
  v_started timestamptz;
  v_finished timestamptz;
  v_duration bigint;
  v_opened uuid;
  v_is_new boolean;
  v_resolved uuid[] := '{}';
  v_alert_kind text;
  v_alert_incident uuid;
  v_alert_id uuid;
begin
  -- Locked against an admin's change of kind until this report is recorded; a report that
  -- changes nothing about the job writes nothing to it here.
  select id, kind, notify_policy, title, tool_id, tags
    into v_job_id, v_existing_kind, v_policy, v_old_title, v_old_tool_id, v_old_tags
  from jobs where workspace_id = p_workspace_id and job_key = v_key
  for no key update;
  if found then
    if v_existing_kind in ('http', 'task') and not p_from_jobboard then
      raise exception using errcode = 'JB409', column = 'job_key',
        message = format('job_key %s is run by Jobboard (%s); reports cannot change it', v_key, v_existing_kind);
    end if;
    if (v_existing_kind = 'reported' and v_title is not null and v_title is distinct from v_old_title)
       or (r->>'tool_id' is not null and r->>'tool_id' is distinct from v_old_tool_id)
       or (v_tags is not null and v_tags is distinct from v_old_tags) then
      update jobs set
        title = case when kind = 'reported' then coalesce(v_title, title) else title end,
        tool_id = coalesce(r->>'tool_id', tool_id),
        tags = coalesce(v_tags, tags)
      where id = v_job_id;
    end if;
  else
    -- One creator at a time per workspace, so concurrent first reports cannot overrun the quota.
    perform pg_advisory_xact_lock(hashtextextended('jobboard:reported-jobs:' || p_workspace_id::text, 0));
    select count(*) into v_reported_jobs from jobs
    where workspace_id = p_workspace_id and kind = 'reported' and created_by is null;
    if v_reported_jobs >= p_max_reported_jobs then
      raise exception using errcode = 'JB403', column = 'job_key',
        message = format('This workspace already has %s jobs created by reports; ask an admin to delete unused ones or raise JOBBOARD_MAX_REPORTED_JOBS', p_max_reported_jobs);
    end if;
    insert into jobs (workspace_id, job_key, title, tool_id, tags)
    values (p_workspace_id, v_key, coalesce(v_title, v_key), r->>'tool_id', coalesce(v_tags, '{}'))
    on conflict (workspace_id, job_key) do nothing
    returning id, notify_policy into v_job_id, v_policy;
    if v_job_id is null then
      -- Created meanwhile by another report (or an admin): look again, as an existing job.
      return private.ingest_report(p_workspace_id, r, p_now, p_max_reported_jobs, p_from_jobboard);
    end if;
  end if;

  if v_external is not null then
    select id, status, started_at into v_run_id, v_run_status, v_run_started
    from runs where job_id = v_job_id and external_id = v_external
    for update;
  end if;

  if v_event = 'progress' and v_run_id is not null then
    if v_run_status <> 'running' then
      return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', true, 'alert_queued', false);
    end if;
    update runs set
      current_stage = coalesce(r->>'stage', current_stage),
      stages = coalesce(v_stages, stages),
      progress_percent = coalesce(v_percent, progress_percent),
      message = coalesce(r->>'message', message),
      host = coalesce(host, r->>'host')
    where id = v_run_id;
    return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', false, 'alert_queued', false);
  end if;

  if v_event in ('start', 'progress') then
    -- A repeated start, or one arriving after its finish, changes nothing. Progress without a
    -- start still shows the run as running.
    if v_run_id is not null then
      return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', true, 'alert_queued', false);
    end if;
    v_started := coalesce((r->>'started_at')::timestamptz, p_now);
    insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at, host,
                      stages, current_stage, progress_percent, message)
    values (p_workspace_id, v_job_id, 'running', 'report', v_external, v_started, v_started, r->>'host',
            v_stages, r->>'stage', v_percent, r->>'message')
    on conflict (job_id, external_id) where external_id is not null do nothing
    returning id into v_run_id;
    if v_run_id is null then
      select id into v_run_id from runs where job_id = v_job_id and external_id = v_external;
      return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', true, 'alert_queued', false);
    end if;
    perform private.mark_latest_run(v_job_id, v_run_id);
    return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', false, 'alert_queued', false);
  end if;

  -- A finish.
  if v_run_id is not null and v_run_status in ('succeeded', 'failed', 'timed_out', 'canceled', 'skipped', 'lost') then
    return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', true, 'alert_queued', false);
  end if;
  v_status := case when r->>'status' = 'success' then 'succeeded' else 'failed' end;
  v_finished := (r->>'finished_at')::timestamptz;
  v_duration := (r->>'duration_ms')::bigint;
  v_started := coalesce((r->>'started_at')::timestamptz, v_run_started,
                        v_finished - make_interval(secs => v_duration / 1000.0));
  v_duration := coalesce(v_duration,
                         greatest(0, round(extract(epoch from v_finished - v_started) * 1000))::bigint);

  if v_run_id is null then
    insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at, finished_at,
                      duration_ms, exit_code, message, stderr_tail, log, host, stages, current_stage, progress_percent)
    values (p_workspace_id, v_job_id, v_status, 'report', v_external, coalesce(v_started, v_finished),
            v_started, v_finished, v_duration, (r->>'exit_code')::integer, r->>'message', r->>'stderr',
            r->>'log', r->>'host', v_stages, r->>'stage',
            coalesce(v_percent, case when v_status = 'succeeded' then 100 end))
    on conflict (job_id, external_id) where external_id is not null do nothing
    returning id into v_run_id;
    if v_run_id is null then
      -- The same finish raced in on another connection and won: count it once.
      select id into v_run_id from runs where job_id = v_job_id and external_id = v_external;
      return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', true, 'alert_queued', false);
    end if;
  else
    update runs set
      status = v_status,
      started_at = coalesce(started_at, v_started),
      finished_at = greatest(v_finished, started_at),
      duration_ms = v_duration,
      exit_code = (r->>'exit_code')::integer,
      message = coalesce(r->>'message', message),
      -- An agent's live tail stands until the finish brings its own.
      stderr_tail = coalesce(r->>'stderr', stderr_tail),
      log = coalesce(r->>'log', log),
      host = coalesce(r->>'host', host),
      current_stage = coalesce(r->>'stage', current_stage),
      stages = coalesce(v_stages, stages),
      progress_percent = coalesce(v_percent, case when v_status = 'succeeded' then 100 end, progress_percent)
    where id = v_run_id;
  end if;

  perform private.mark_latest_run(v_job_id, v_run_id);

  if v_status = 'failed' then
    insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message)
    values (p_workspace_id, v_job_id, 'failed', least(v_finished, now()), v_run_id, v_run_id, r->>'message')
    on conflict (job_id) where resolved_at is null do update set
      failure_count = incidents.failure_count + 1,
      last_run_id = coalesce(excluded.last_run_id, incidents.last_run_id),
      last_message = coalesce(excluded.last_message, incidents.last_message)
    returning id, (xmax = 0) into v_opened, v_is_new;
    if not v_is_new then v_opened := null; end if;
  else
    -- A late success that finished before the incident opened resolves nothing, except a
    -- missed incident whose window the run falls in: only its report was late.
    with resolved as (
      update incidents set resolved_at = greatest(v_finished, opened_at), resolved_by_run_id = v_run_id
      where job_id = v_job_id and resolved_at is null
        and (opened_at <= v_finished or (kind = 'missed' and missed_since <= coalesce(v_started, v_finished)))
      returning id
    )
    select coalesce(array_agg(id), '{}') into v_resolved from resolved;
  end if;

  -- The same choice as the server's eventForFinishedRun, for the two statuses a report brings.
  if v_policy <> 'never' then
    if v_status = 'failed' and (v_opened is not null or v_policy = 'every_run') then
      v_alert_kind := 'failure';
      v_alert_incident := v_opened;
    elsif v_status = 'succeeded' and cardinality(v_resolved) > 0 then
      v_alert_kind := 'recovery';
      v_alert_incident := v_resolved[1];
    elsif v_status = 'succeeded' and v_policy = 'every_run' then
      v_alert_kind := 'success';
    end if;
  end if;
  if v_alert_kind is not null then
    insert into alerts (workspace_id, job_id, run_id, incident_id, kind, detail)
    values (p_workspace_id, v_job_id, v_run_id, v_alert_incident, v_alert_kind,
            case when v_alert_kind = 'failure' then jsonb_build_object('status', v_status) else '{}'::jsonb end)
    on conflict do nothing
    returning id into v_alert_id;
  end if;
  return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', false,
                            'alert_queued', v_alert_id is not null);
end;
$$;

-- Who sends a report: {"key": {"prefix", "hash"}} for an ingest key, {"workspace": {"slug"}} for
-- the shared webhook secret (already checked by the server; a null slug means the oldest
-- workspace), or {"workspace_id"} for Jobboard's own records. Answers {workspace_id} or a refusal
-- {refused: http status, error}.
create or replace function private.report_sender(p_auth jsonb) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_key ingest_keys%rowtype;
  v_workspace uuid;
begin
  if p_auth ? 'workspace_id' then
    return jsonb_build_object('workspace_id', p_auth->>'workspace_id');
  end if;
  if p_auth ? 'key' then
    select * into v_key from ingest_keys where prefix = p_auth->'key'->>'prefix';
    if not found or v_key.secret_hash <> p_auth->'key'->>'hash' then
      return jsonb_build_object('refused', 401, 'error', 'Invalid or missing webhook secret');
    end if;
    if v_key.revoked_at is not null then
      return jsonb_build_object('refused', 401, 'error', 'This ingest key has been revoked');
    end if;
    if v_key.scope <> 'report' then
      return jsonb_build_object('refused', 403, 'error', 'This ingest key can only read; use a report key to send reports');
    end if;
    -- One write a minute is enough for "last used", and spares a hot key a row lock per report.
    if v_key.last_used_at is null or v_key.last_used_at < now() - interval '1 minute' then
      update ingest_keys set last_used_at = now()
      where id = v_key.id and (last_used_at is null or last_used_at < now() - interval '1 minute');
    end if;
    return jsonb_build_object('workspace_id', v_key.workspace_id);
  end if;
  if p_auth->'workspace'->>'slug' is not null then
    select id into v_workspace from workspaces where slug = p_auth->'workspace'->>'slug';
  else
    select id into v_workspace from workspaces order by created_at, id limit 1;
  end if;
  if v_workspace is null then
    return jsonb_build_object('refused', 500, 'error', 'Server configuration error');
  end if;
  return jsonb_build_object('workspace_id', v_workspace);
end;
$$;

-- Records a group of reports in one call. p_items is an array of
-- {auth, report (null to authenticate only), now, max_reported_jobs, from_jobboard}; the answer
-- is an array in the same order, each {workspace_id, job_id, run_id, duplicate, alert_queued},
-- {refused, error}, {rejected: 403|409, error, field}, {retry: true} (a deadlock with another
-- group: send it again) or {failed: sqlstate}. Callers order the items by job key, so two groups
-- take their job rows in the same order.
create or replace function private.ingest_reports(p_items jsonb) returns jsonb
language plpgsql
security definer
set search_path = public, pg_temp
as $$
declare
  v_item jsonb;
  v_sender jsonb;
  v_result jsonb;
  v_results jsonb := '[]';
  v_senders jsonb := '{}';
  v_sender_key text;
  v_column text;
  v_state text;
begin
  for v_item in select value from jsonb_array_elements(p_items) loop
    -- A group usually comes from one key: authenticate it once.
    v_sender_key := (v_item->'auth')::text;
    v_sender := v_senders->v_sender_key;
    if v_sender is null then
      v_sender := private.report_sender(v_item->'auth');
      v_senders := v_senders || jsonb_build_object(v_sender_key, v_sender);
    end if;
    if v_sender ? 'refused' or v_item->'report' is null or jsonb_typeof(v_item->'report') = 'null' then
      v_results := v_results || jsonb_build_array(v_sender);
      continue;
    end if;
    begin
      v_result := private.ingest_report(
        (v_sender->>'workspace_id')::uuid, v_item->'report', (v_item->>'now')::timestamptz,
        (v_item->>'max_reported_jobs')::integer, coalesce((v_item->>'from_jobboard')::boolean, false));
      v_result := v_result || jsonb_build_object('workspace_id', v_sender->>'workspace_id');
    exception
      when sqlstate 'JB409' or sqlstate 'JB403' then
        get stacked diagnostics v_column = column_name, v_state = returned_sqlstate;
        v_result := jsonb_build_object('rejected', substr(v_state, 3)::integer, 'error', sqlerrm, 'field', nullif(v_column, ''));
      when deadlock_detected or lock_not_available or serialization_failure then
        v_result := jsonb_build_object('retry', true);
      when others then
        get stacked diagnostics v_state = returned_sqlstate;
        -- Connection-level trouble ends the whole call; anything else is this report's alone.
        if v_state like '08%' or v_state like '57P%' or v_state = '53300' then
          raise;
        end if;
        v_result := jsonb_build_object('failed', v_state, 'error', sqlerrm);
    end;
    v_results := v_results || jsonb_build_array(v_result);
  end loop;
  return v_results;
end;
$$;

revoke all on function private.jsonb_text_array(jsonb) from public;
revoke all on function private.mark_latest_run(uuid, uuid) from public;
revoke all on function private.ingest_report(uuid, jsonb, timestamptz, integer, boolean) from public;
revoke all on function private.report_sender(jsonb) from public;
revoke all on function private.ingest_reports(jsonb) from public;
grant execute on function private.ingest_reports(jsonb) to service_role;
