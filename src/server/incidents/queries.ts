import type { Db } from "../db/sql";
import type { RunStatus } from "../runs/status";
import type { IncidentKind } from "./transitions";

export type OpenIncident = {
  id: string;
  kind: IncidentKind;
  opened_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by_email: string | null;
  failure_count: number;
  last_message: string | null;
  last_run_id: string | null;
  job_id: string;
  job_title: string;
  job_key: string;
  /** The job's kind, which says what the last run's exit code means (see runCode). */
  job_kind: string;
  /** The incident's latest run, for its status chip and its traceback; null for a missed one. */
  last_run_status: RunStatus | null;
  last_run_exit_code: number | null;
  last_run_stderr_tail: string | null;
  last_run_finished_at: Date | null;
  last_run_queued_at: Date | null;
  last_run_message: string | null;
};

export type AcknowledgedFilter = "all" | "unacknowledged" | "acknowledged";

/**
 * Open incidents of a workspace: failing first, then missed, then timed out; newest first
 * within each (served by incidents_open_idx).
 */
export async function listOpenIncidents(
  db: Db,
  p: { workspaceId: string; limit: number; acknowledged?: AcknowledgedFilter },
): Promise<OpenIncident[]> {
  const filter = p.acknowledged ?? "all";
  return db<OpenIncident[]>`
    select i.id, i.kind, i.opened_at, i.acknowledged_at, i.failure_count, i.last_message, i.last_run_id,
           j.id as job_id, j.title as job_title, j.job_key, j.kind as job_kind, m.email as acknowledged_by_email,
           lr.status as last_run_status, lr.exit_code as last_run_exit_code, lr.stderr_tail as last_run_stderr_tail,
           lr.finished_at as last_run_finished_at, lr.queued_at as last_run_queued_at, lr.message as last_run_message
    from incidents i
    join jobs j on j.id = i.job_id
    left join runs lr on lr.id = i.last_run_id
    -- Once per page, not once per incident: workspace_members is a set-returning function.
    left join public.workspace_members(${p.workspaceId}) m on m.user_id = i.acknowledged_by
    where i.workspace_id = ${p.workspaceId} and i.resolved_at is null
      and (${filter} = 'all'
           or (${filter} = 'acknowledged' and i.acknowledged_at is not null)
           or (${filter} = 'unacknowledged' and i.acknowledged_at is null))
    order by case i.kind when 'failed' then 0 when 'missed' then 1 else 2 end, i.opened_at desc
    limit ${p.limit}`;
}

export type IncidentRow = {
  id: string;
  kind: IncidentKind;
  opened_at: Date;
  resolved_at: Date | null;
  failure_count: number;
  last_message: string | null;
  job_id: string;
  job_title: string;
};

/** One incident of the workspace, open or resolved, with its job. */
export async function getIncident(db: Db, p: { workspaceId: string; incidentId: string }): Promise<IncidentRow | undefined> {
  const [row] = await db<IncidentRow[]>`
    select i.id, i.kind, i.opened_at, i.resolved_at, i.failure_count, i.last_message, j.id as job_id, j.title as job_title
    from incidents i join jobs j on j.id = i.job_id
    where i.workspace_id = ${p.workspaceId} and i.id = ${p.incidentId}`;
  return row;
}
