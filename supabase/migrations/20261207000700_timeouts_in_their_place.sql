-- A timeout is recorded in its place in time. After Jobboard's own outage the tick waits out a
-- catch-up before it times out a run that ran out inside it (its spooled finish may yet come),
-- but the scripts' other spooled reports come sooner: a failure or success that finished after
-- the run ran out was recorded first, and the timeout then joined, or followed, what came after
-- it. Now a report that finishes after another running run of its job ran out times that run out
-- first; and the tick and ingest share one function for what a timeout does to a run.

-- A running run that ran past its job's timeout ends timed_out, at the moment it ran out (not
-- when someone noticed), and settle_run_end decides its incident and alert. The tick calls it
-- for the runs it finds, and private.ingest_report for a run of the same job that a report
-- finishing later shows to have run out first. Answers settle_run_end's answer, or null when the
-- run was not running or its job has no timeout.
create or replace function private.time_out_run(p_run_id uuid) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_timeout integer;
begin
  update runs r set status = 'timed_out', finished_at = r.started_at + make_interval(secs => j.timeout_seconds),
         duration_ms = j.timeout_seconds * 1000::bigint,
         message = 'Timed out: still running ' || j.timeout_seconds || ' s after it started'
  from jobs j
  where j.id = r.job_id and r.id = p_run_id and r.status = 'running' and j.timeout_seconds is not null
  returning j.timeout_seconds into v_timeout;
  if v_timeout is null then
    return null;
  end if;
  return private.settle_run_end(p_run_id);
end;
$$;

-- A report, or an agent's finish, recorded in the caller's transaction: the job (created on its
-- first report), the run (paired with its start by run_id), and, through private.settle_run_end,
-- its incidents and alert; first, the timeouts of other runs of the job that ran out before it. Answers the run to point the job at as {latest: true};
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
  v_stale uuid;
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

  -- Another run of this reported job that ran out of time before this one finished is over: a
  -- finish of its own, spooled with this one, would have come first. It is timed out now, in its
  -- place in time, so its incident comes before what this report does (after Jobboard's own
  -- outage the tick waits out a catch-up before it times such runs out, and replays come sooner).
  if v_existing_kind = 'reported' then
    for v_stale in
      select s.id from runs s join jobs j on j.id = s.job_id
      where s.job_id = v_job_id and s.status = 'running' and s.id is distinct from v_run_id
        and j.timeout_seconds is not null
        and s.started_at + make_interval(secs => j.timeout_seconds) < v_finished
      order by s.started_at
    loop
      perform private.time_out_run(v_stale);
    end loop;
  end if;

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

revoke all on function private.time_out_run(uuid) from public;
grant execute on function private.time_out_run(uuid) to service_role;
