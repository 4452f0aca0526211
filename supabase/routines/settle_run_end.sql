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
