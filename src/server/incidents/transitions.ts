import type { Tx } from "../db/transactions";

export type IncidentKind = "failed" | "missed" | "timed_out" | "lost" | "stalled";

/**
 * The tick noticed something no run's end tells of: a job missed its slot, or a running run
 * stalled. Opens an incident of `kind` at once (no threshold applies), or adds to the job's open
 * one (at most one is open per job). Says whether this opened a new incident, which is what
 * alerts are about. How runs' ends open and resolve incidents is decided in one place:
 * settleRunEnd (run-end.ts).
 */
export async function recordIncident(
  tx: Tx,
  p: { workspaceId: string; jobId: string; kind: "missed" | "stalled"; runId: string | null; at: Date; message: string | null; missedSince?: Date },
): Promise<{ incidentId: string; isNew: boolean }> {
  const [incident] = await tx<{ id: string; is_new: boolean }[]>`
    insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message, missed_since)
    values (${p.workspaceId}::uuid, ${p.jobId}::uuid, ${p.kind}, least(${p.at}::timestamptz, now()), ${p.runId}::uuid, ${p.runId}::uuid,
            ${p.message}, ${p.missedSince ?? null}::timestamptz)
    on conflict (job_id) where resolved_at is null do update set
      failure_count = incidents.failure_count + 1,
      last_run_id = coalesce(excluded.last_run_id, incidents.last_run_id),
      last_message = coalesce(excluded.last_message, incidents.last_message)
    returning id, (xmax = 0) as is_new`;
  return { incidentId: incident!.id, isNew: incident!.is_new };
}
