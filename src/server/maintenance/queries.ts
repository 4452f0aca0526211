import type { Db } from "../db/sql";
import type { MaintenanceWindow } from "./windows";

/** The workspace's windows (or those touching one job), one-offs by start, then recurring ones. */
export async function listMaintenanceWindows(db: Db, p: { workspaceId: string; jobId?: string }): Promise<MaintenanceWindow[]> {
  return db<MaintenanceWindow[]>`
    select id, workspace_id, job_id, title, starts_at, ends_at, cron, timezone, duration_minutes
    from maintenance_windows
    where workspace_id = ${p.workspaceId} and (${p.jobId ?? null}::uuid is null or job_id is null or job_id = ${p.jobId ?? null})
    order by starts_at nulls last, created_at`;
}
