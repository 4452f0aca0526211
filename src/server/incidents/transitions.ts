import type { Tx } from "../db/transactions";

export type IncidentKind = "failed" | "missed" | "timed_out" | "lost";

/**
 * A job went wrong: opens an incident of `kind`, or adds to the job's open one (at most one is
 * open per job). Says whether this opened a new incident, which is what alerts are about.
 */
export async function recordIncident(
  tx: Tx,
  p: { workspaceId: string; jobId: string; kind: IncidentKind; runId: string | null; at: Date; message: string | null; missedSince?: Date },
): Promise<{ incidentId: string; isNew: boolean }> {
  const [incident] = await tx<{ id: string; is_new: boolean }[]>`
    insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message, missed_since)
    values (${p.workspaceId}, ${p.jobId}, ${p.kind}, least(${p.at}::timestamptz, now()), ${p.runId}, ${p.runId}, ${p.message},
            ${p.missedSince ?? null})
    on conflict (job_id) where resolved_at is null do update set
      failure_count = incidents.failure_count + 1,
      last_run_id = coalesce(excluded.last_run_id, incidents.last_run_id),
      last_message = coalesce(excluded.last_message, incidents.last_message)
    returning id, (xmax = 0) as is_new`;
  return { incidentId: incident!.id, isNew: incident!.is_new };
}

/**
 * A job succeeded at `at` (having started at `startedAt`): resolves what was open before then.
 * A late success that finished before the incident opened resolves nothing, except a `missed`
 * incident whose window the run falls in: the run was not missed, only its report was late.
 */
export async function resolveIncidents(tx: Tx, p: { jobId: string; runId: string | null; at: Date; startedAt?: Date | null }): Promise<string[]> {
  const ranFrom = p.startedAt ?? p.at;
  const resolved = await tx<{ id: string }[]>`
    update incidents set resolved_at = greatest(${p.at}::timestamptz, opened_at), resolved_by_run_id = ${p.runId}
    where job_id = ${p.jobId} and resolved_at is null
      and (opened_at <= ${p.at} or (kind = 'missed' and missed_since <= ${ranFrom}))
    returning id`;
  return resolved.map((row) => row.id);
}
