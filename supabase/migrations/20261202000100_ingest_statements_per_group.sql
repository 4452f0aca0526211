-- What a report costs the database, measured with track_functions and perf on PostgreSQL 15:
-- about 0.8 ms of one core, of which
--  * the SQL-language helpers were planned afresh on every call (PostgreSQL caches plans for
--    PL/pgSQL, not for SQL functions before version 18): pointing the job at its run cost a
--    quarter of it, and every failure's outcomes_in_a_row check 0.2 ms;
--  * every UPDATE of jobs rebuilt its 27 CHECK constraints from their stored text, once per
--    statement: the latest-run pointer cost a seventh of the report for that alone.
-- So the helpers become PL/pgSQL, and a group points each job at its latest run in one UPDATE
-- after its reports, not one per report. Each report is still all-or-nothing on its own, and the
-- pointer only ever names a run whose report was recorded.

create or replace function private.jsonb_text_array(value jsonb) returns text[]
language plpgsql immutable
set search_path = pg_catalog
as $$
begin
  return case when value is null or jsonb_typeof(value) <> 'array' then null
              else array(select jsonb_array_elements_text(value)) end;
end;
$$;

create or replace function private.outcomes_in_a_row(p_job_id uuid, p_failed boolean) returns boolean
language plpgsql
stable
set search_path = public, pg_temp
as $$
declare
  v_wanted integer;
  v_found integer;
  v_same boolean;
begin
  select case when p_failed then failure_threshold else recovery_threshold end into v_wanted
  from jobs where id = p_job_id;
  if coalesce(v_wanted, 1) <= 1 then
    return true;
  end if;
  select count(*), bool_and((status <> 'succeeded') = p_failed) into v_found, v_same
  from (
    select r.status from runs r
    where r.job_id = p_job_id and r.finished_at is not null and r.status in ('succeeded', 'failed', 'timed_out', 'lost')
    order by r.finished_at desc, r.id desc
    limit v_wanted
  ) latest;
  return v_found = v_wanted and v_same;
end;
$$;

-- Volatile, so that it sees what the statement that called it has just written.
create or replace function private.run_has_duration_alert(p_run_id uuid) returns boolean
language plpgsql
volatile
set search_path = public, pg_temp
as $$
begin
  return exists (select 1 from alerts where run_id = p_run_id and kind = 'duration' and status = 'pending');
end;
$$;

-- As before, except that a run to point the job at is answered as {latest: true} instead of
-- written here; private.ingest_reports writes those pointers for the whole group.
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
    return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', false, 'alert_queued', false,
                              'latest', true);
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

  if v_status = 'failed' then
    -- An open incident grows; a new one waits for the job's failure threshold.
    if exists (select 1 from incidents where job_id = v_job_id and resolved_at is null)
       or private.outcomes_in_a_row(v_job_id, true) then
      insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message)
      values (p_workspace_id, v_job_id, 'failed', least(v_finished, now()), v_run_id, v_run_id, r->>'message')
      on conflict (job_id) where resolved_at is null do update set
        failure_count = incidents.failure_count + 1,
        last_run_id = coalesce(excluded.last_run_id, incidents.last_run_id),
        last_message = coalesce(excluded.last_message, incidents.last_message)
      returning id, (xmax = 0) into v_opened, v_is_new;
      if not v_is_new then v_opened := null; end if;
    end if;
  else
    -- A late success that finished before the incident opened resolves nothing, except a
    -- missed incident whose window the run falls in: only its report was late.
    with resolved as (
      update incidents set resolved_at = greatest(v_finished, opened_at), resolved_by_run_id = v_run_id
      where job_id = v_job_id and resolved_at is null
        and (opened_at <= v_finished or (kind = 'missed' and missed_since <= coalesce(v_started, v_finished)))
        -- One success shows a job is not missed; a failing one waits for its recovery threshold.
        and (kind = 'missed' or private.outcomes_in_a_row(v_job_id, false))
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
                            'alert_queued', v_alert_id is not null, 'latest', true);
end;
$$;

-- As before, and: the group's runs are pointed at in one UPDATE at the end, the latest per job
-- winning as it would have one report at a time; a run a duration rule judged (a trigger wrote
-- its alert) is answered as alert_queued, so the notifier wakes for it too.
create or replace function private.ingest_reports(p_items jsonb) returns jsonb
language plpgsql
security definer
set search_path = public, pg_temp
as $$
declare
  v_item jsonb;
  v_sender jsonb;
  v_result jsonb;
  v_results jsonb[] := '{}';
  v_senders jsonb := '{}';
  v_sender_key text;
  v_column text;
  v_state text;
  v_latest_jobs uuid[] := '{}';
  v_latest_runs uuid[] := '{}';
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
      v_results := v_results || v_sender;
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
    if v_result ? 'latest' then
      v_latest_jobs := v_latest_jobs || (v_result->>'job_id')::uuid;
      v_latest_runs := v_latest_runs || (v_result->>'run_id')::uuid;
      v_result := v_result - 'latest';
    end if;
    if v_result ? 'run_id' and not (v_result->>'alert_queued')::boolean
       and private.run_has_duration_alert((v_result->>'run_id')::uuid) then
      v_result := jsonb_set(v_result, '{alert_queued}', 'true');
    end if;
    v_results := v_results || v_result;
  end loop;

  -- Each job's newest run of the group, unless a later run is already its latest. Among runs
  -- queued at the same moment the one recorded last wins, as one report at a time did.
  if cardinality(v_latest_jobs) > 0 then
    update jobs j set last_run_id = newest.run_id
    from (
      select distinct on (m.job_id) m.job_id, m.run_id, r.queued_at
      from unnest(v_latest_jobs, v_latest_runs) with ordinality as m(job_id, run_id, n)
      join runs r on r.id = m.run_id
      order by m.job_id, r.queued_at desc, m.n desc
    ) newest
    where j.id = newest.job_id
      and (j.last_run_id is null or j.last_run_id = newest.run_id
           or (select latest.queued_at from runs latest where latest.id = j.last_run_id) <= newest.queued_at);
  end if;
  return to_jsonb(v_results);
end;
$$;

drop function private.mark_latest_run(uuid, uuid);
