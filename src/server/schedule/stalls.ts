import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { queueIncidentAlert } from "../notify/outbox";
import { recordIncident } from "../incidents/transitions";

export type StalledRun = { runId: string; workspaceId: string; jobId: string; incidentId: string };

/**
 * Opens a `stalled` incident, with its alert, for each running run whose progress has not moved
 * for its job's `stall_minutes` (counted from its start when it never reported any). A job with
 * an incident open already is left alone: that incident is the news. Runs on the tick's clock.
 */
export async function markStalledRuns(sql: Sql, now: Date): Promise<StalledRun[]> {
  return withService(sql, async (tx) => {
    const stuck = await tx<{ id: string; workspace_id: string; job_id: string; stall_minutes: number; current_stage: string | null }[]>`
      select r.id, r.workspace_id, r.job_id, j.stall_minutes, r.current_stage
      from runs r join jobs j on j.id = r.job_id
      where r.status = 'running' and j.stall_minutes is not null
        and coalesce(r.progress_at, r.started_at, r.queued_at) <= ${now}::timestamptz - make_interval(mins => j.stall_minutes)
        and not exists (select 1 from incidents i where i.job_id = r.job_id and i.resolved_at is null)
      order by r.started_at
      for update of r skip locked`;
    const stalled: StalledRun[] = [];
    for (const run of stuck) {
      const incident = await recordIncident(tx, {
        workspaceId: run.workspace_id,
        jobId: run.job_id,
        kind: "stalled",
        runId: run.id,
        at: now,
        message: `No progress for ${run.stall_minutes} minutes${run.current_stage ? ` (at stage ${run.current_stage})` : ""}`,
      });
      if (!incident.isNew) continue;
      await queueIncidentAlert(tx, {
        workspaceId: run.workspace_id, jobId: run.job_id, runId: run.id, incidentId: incident.incidentId,
        kind: "stalled", detail: { minutes: run.stall_minutes, stage: run.current_stage },
      });
      stalled.push({ runId: run.id, workspaceId: run.workspace_id, jobId: run.job_id, incidentId: incident.incidentId });
    }
    return stalled;
  });
}
