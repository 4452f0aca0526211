import type { Tx } from "../db/transactions";

export type IncidentKind = "failed" | "missed" | "timed_out" | "lost";

/**
 * A job went wrong: opens an incident of `kind`, or adds to the job's open one (at most one is
 * open per job). Says whether this opened a new incident, which is what alerts are about.
 */
export async function recordIncident(
  tx: Tx,
  p: { workspaceId: string; jobId: string; kind: IncidentKind; runId: string | null; at: Date; message: string | null },
): Promise<{ incidentId: string; isNew: boolean }> {
  const [incident] = await tx<{ id: string; is_new: boolean }[]>`
    insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message)
    values (${p.workspaceId}, ${p.jobId}, ${p.kind}, least(${p.at}::timestamptz, now()), ${p.runId}, ${p.runId}, ${p.message})
    on conflict (job_id) where resolved_at is null do update set
      failure_count = incidents.failure_count + 1,
      last_run_id = coalesce(excluded.last_run_id, incidents.last_run_id),
      last_message = coalesce(excluded.last_message, incidents.last_message)
    returning id, (xmax = 0) as is_new`;
  return { incidentId: incident!.id, isNew: incident!.is_new };
}

/**
 * A job succeeded at `at`: resolves what was open before then. A late success that finished
 * before the incident opened resolves nothing.
 */
export async function resolveIncidents(tx: Tx, p: { jobId: string; runId: string | null; at: Date }): Promise<string[]> {
  const resolved = await tx<{ id: string }[]>`
    update incidents set resolved_at = ${p.at}, resolved_by_run_id = ${p.runId}
    where job_id = ${p.jobId} and resolved_at is null and opened_at <= ${p.at}
    returning id`;
  return resolved.map((row) => row.id);
}
