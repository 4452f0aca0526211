-- Records a group of reports in one call. p_items is an array of
-- {auth, report (null to authenticate only), now, max_reported_jobs, from_jobboard}; the answer
-- is an array in the same order, each {workspace_id, workspace_slug, job_id, run_id, duplicate,
-- alert_queued}, {refused, error}, {rejected: 403|409, error, field}, {retry: true} (a deadlock
-- with another group: send it again) or {failed: sqlstate}. Callers order the items by job key,
-- so two groups take their job rows in the same order. A group's runs are pointed at in one
-- UPDATE at the end, the latest per job winning as it would have one report at a time.
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
      v_result := v_result || jsonb_build_object('workspace_id', v_sender->>'workspace_id', 'workspace_slug', v_sender->>'workspace_slug');
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
