import type { Db } from "../db/sql";

export type OpenIncident = {
  id: string;
  kind: "failed" | "missed" | "timed_out";
  opened_at: Date;
  acknowledged_at: Date | null;
  failure_count: number;
  last_message: string | null;
  last_run_id: string | null;
  job_id: string;
  job_title: string;
  job_key: string;
};

/** Open incidents of a workspace, newest first (served by incidents_open_idx). */
export async function listOpenIncidents(db: Db, p: { workspaceId: string; limit: number }): Promise<OpenIncident[]> {
  return db<OpenIncident[]>`
    select i.id, i.kind, i.opened_at, i.acknowledged_at, i.failure_count, i.last_message, i.last_run_id,
           j.id as job_id, j.title as job_title, j.job_key
    from incidents i
    join jobs j on j.id = i.job_id
    where i.workspace_id = ${p.workspaceId} and i.resolved_at is null
    order by i.opened_at desc
    limit ${p.limit}`;
}
