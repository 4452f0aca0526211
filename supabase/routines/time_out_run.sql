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
