-- One function decides what a run's end does to its job's incidents and alerts, whichever way
-- the run ended. Before, a report or an agent's finish decided it here in SQL while the
-- executor, the tick's timeouts, expired leases and revived runs decided it in TypeScript, and
-- the two had drifted: a success resolved a stalled incident at once on one side and only after
-- the job's recovery threshold on the other. Now all of them call private.settle_run_end, and a
-- stall resolves on one success everywhere, as documented.
--
-- The current source of both functions lives in supabase/routines/; a migration that changes
-- one restates that file whole, so its review is the diff of the file.

-- How a run's end touches its job's incidents and the outbox. Every way a run ends goes through
-- here, in the transaction that ended it: a report or an agent's finish (private.ingest_report),
-- the executor, the tick's timeout, an agent's lease running out, and a lost run its agent
-- revived. The run's row is already written; this reads its status and times from it.
--  * failed, timed_out, lost: adds to the job's open incident, or opens one of that kind once
--    the job's failure threshold of failures in a row is reached. News that comes late (the
--    tick notices a timeout up to a minute after the run ran out) may find a newer success
--    already recorded: that success resolves the new incident at once, as it would have done
--    had the news come on time;
--  * succeeded: resolves what was open before it finished, once the job's recovery threshold of
--    successes in a row is reached; a missed or stalled incident needs only the one. A late
--    success that finished before the incident opened resolves nothing, except a missed incident
--    whose window the run falls in: only its report was late;
--  * running again (revived after being marked lost): resolves the incident its loss opened;
--  * canceled, skipped: count neither way.
-- Then the one alert that calls for, by the job's notify policy; a run alerts at most once per
-- kind, so a repeated end writes nothing twice. Answers {opened, resolved, alert_queued}.
create or replace function private.settle_run_end(p_run_id uuid) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_run record;
  v_newer record;
  v_opened uuid;
  v_healed uuid;
  v_is_new boolean;
  v_resolved uuid[] := '{}';
  v_alert_kind text;
  v_alert_incident uuid;
  v_alert_id uuid;
begin
  select r.id, r.workspace_id, r.job_id, r.status, r.started_at, r.finished_at, r.message, j.notify_policy
    into v_run
  from runs r join jobs j on j.id = r.job_id and j.workspace_id = r.workspace_id
  where r.id = p_run_id;
  if not found then
    return jsonb_build_object('opened', null, 'resolved', '[]'::jsonb, 'alert_queued', false);
  end if;

  if v_run.status in ('failed', 'timed_out', 'lost') then
    -- An open incident grows; a new one waits for the job's failure threshold.
    if exists (select 1 from incidents where job_id = v_run.job_id and resolved_at is null)
       or private.outcomes_in_a_row(v_run.job_id, true) then
      insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message)
      values (v_run.workspace_id, v_run.job_id, v_run.status, least(v_run.finished_at, now()), p_run_id, p_run_id, v_run.message)
      on conflict (job_id) where resolved_at is null do update set
        failure_count = incidents.failure_count + 1,
        last_run_id = coalesce(excluded.last_run_id, incidents.last_run_id),
        last_message = coalesce(excluded.last_message, incidents.last_message)
      returning id, (xmax = 0) into v_opened, v_is_new;
      if not v_is_new then v_opened := null; end if;
    end if;
    if v_opened is not null then
      select id, finished_at into v_newer from runs
      where job_id = v_run.job_id and status = 'succeeded' and finished_at > v_run.finished_at
      order by finished_at desc, id desc
      limit 1;
      if found then
        update incidents set resolved_at = greatest(v_newer.finished_at, opened_at), resolved_by_run_id = v_newer.id
        where id = v_opened and private.outcomes_in_a_row(v_run.job_id, false)
        returning id into v_healed;
      end if;
    end if;
  elsif v_run.status = 'succeeded' then
    with resolved as (
      update incidents set resolved_at = greatest(v_run.finished_at, opened_at), resolved_by_run_id = p_run_id
      where job_id = v_run.job_id and resolved_at is null
        and (opened_at <= v_run.finished_at
             or (kind = 'missed' and missed_since <= coalesce(v_run.started_at, v_run.finished_at)))
        and (kind in ('missed', 'stalled') or private.outcomes_in_a_row(v_run.job_id, false))
      returning id
    )
    select coalesce(array_agg(id), '{}') into v_resolved from resolved;
  elsif v_run.status = 'running' then
    with resolved as (
      update incidents set resolved_at = greatest(now(), opened_at), resolved_by_run_id = p_run_id
      where job_id = v_run.job_id and resolved_at is null and kind = 'lost' and first_run_id = p_run_id
      returning id
    )
    select coalesce(array_agg(id), '{}') into v_resolved from resolved;
  end if;

  if v_run.notify_policy <> 'never' then
    if v_run.status in ('failed', 'timed_out', 'lost') and (v_opened is not null or v_run.notify_policy = 'every_run') then
      v_alert_kind := 'failure';
      v_alert_incident := v_opened;
    elsif v_run.status in ('succeeded', 'running') and cardinality(v_resolved) > 0 then
      v_alert_kind := 'recovery';
      v_alert_incident := v_resolved[1];
    elsif v_run.status = 'succeeded' and v_run.notify_policy = 'every_run' then
      v_alert_kind := 'success';
    end if;
  end if;
  -- Stamped when written, not when the transaction began, so the outbox sends a failure before
  -- the recovery written after it in the same transaction.
  if v_alert_kind is not null then
    insert into alerts (workspace_id, job_id, run_id, incident_id, kind, detail, created_at)
    values (v_run.workspace_id, v_run.job_id, p_run_id, v_alert_incident, v_alert_kind,
            case when v_alert_kind = 'failure' then jsonb_build_object('status', v_run.status) else '{}'::jsonb end,
            clock_timestamp())
    on conflict do nothing
    returning id into v_alert_id;
  end if;
  if v_healed is not null and v_run.notify_policy <> 'never' then
    insert into alerts (workspace_id, job_id, run_id, incident_id, kind, detail, created_at)
    values (v_run.workspace_id, v_run.job_id, v_newer.id, v_healed, 'recovery', '{}'::jsonb, clock_timestamp())
    on conflict do nothing;
  end if;
  return jsonb_build_object('opened', v_opened, 'resolved', to_jsonb(v_resolved),
                            'alert_queued', v_alert_id is not null or v_healed is not null);
end;
$$;

-- A report, or an agent's finish, recorded in the caller's transaction: the job (created on its
-- first report), the run (paired with its start by run_id), and, through private.settle_run_end,
-- its incidents and alert. Answers the run to point the job at as {latest: true};
-- private.ingest_reports writes those pointers for the whole group.
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
  v_run_id uuid;
  v_run_status text;
  v_run_started timestamptz;
  v_status text;
  v_started timestamptz;
  v_finished timestamptz;
  v_duration bigint;
  v_end jsonb;
begin
  -- Locked against an admin's change of kind until this report is recorded; a report that
  -- changes nothing about the job writes nothing to it here.
  select id, kind, title, tool_id, tags
    into v_job_id, v_existing_kind, v_old_title, v_old_tool_id, v_old_tags
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
    returning id into v_job_id;
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

  -- Incidents and the alert, as every other way a run ends decides them.
  v_end := private.settle_run_end(v_run_id);
  return jsonb_build_object('job_id', v_job_id, 'run_id', v_run_id, 'duplicate', false,
                            'alert_queued', (v_end->>'alert_queued')::boolean, 'latest', true);
end;
$$;

revoke all on function private.settle_run_end(uuid) from public;
grant execute on function private.settle_run_end(uuid) to service_role;
