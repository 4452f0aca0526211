import type { Tx } from "../db/transactions";

export type IncidentKind = "failed" | "missed" | "timed_out" | "lost" | "stalled";

/**
 * A job went wrong: opens an incident of `kind`, or adds to the job's open one (at most one is
 * open per job). A new failure-kind incident waits for the job's failure threshold (that many
 * failures in a row); a missed one opens at once. Says whether this opened a new incident, which
 * is what alerts are about, and null when the threshold is not reached yet.
 */
export async function recordIncident(
  tx: Tx,
  p: { workspaceId: string; jobId: string; kind: IncidentKind; runId: string | null; at: Date; message: string | null; missedSince?: Date },
): Promise<{ incidentId: string; isNew: boolean } | { incidentId: null; isNew: false }> {
  const [incident] = await tx<{ id: string; is_new: boolean }[]>`
    insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message, missed_since)
    select ${p.workspaceId}::uuid, ${p.jobId}::uuid, ${p.kind}, least(${p.at}::timestamptz, now()), ${p.runId}::uuid, ${p.runId}::uuid,
           ${p.message}, ${p.missedSince ?? null}::timestamptz
    where ${p.kind} in ('missed', 'stalled')
       or exists (select 1 from incidents open where open.job_id = ${p.jobId} and open.resolved_at is null)
       or private.outcomes_in_a_row(${p.jobId}, true)
    on conflict (job_id) where resolved_at is null do update set
      failure_count = incidents.failure_count + 1,
      last_run_id = coalesce(excluded.last_run_id, incidents.last_run_id),
      last_message = coalesce(excluded.last_message, incidents.last_message)
    returning id, (xmax = 0) as is_new`;
  return incident ? { incidentId: incident.id, isNew: incident.is_new } : { incidentId: null, isNew: false };
}

/**
 * A job succeeded at `at` (having started at `startedAt`): resolves what was open before then,
 * once the job's recovery threshold of successes in a row is reached (a missed incident needs
 * only the one). A late success that finished before the incident opened resolves nothing,
 * except a `missed` incident whose window the run falls in: only its report was late.
 */
export async function resolveIncidents(tx: Tx, p: { jobId: string; runId: string | null; at: Date; startedAt?: Date | null }): Promise<string[]> {
  const ranFrom = p.startedAt ?? p.at;
  const resolved = await tx<{ id: string }[]>`
    update incidents set resolved_at = greatest(${p.at}::timestamptz, opened_at), resolved_by_run_id = ${p.runId}
    where job_id = ${p.jobId} and resolved_at is null
      and (opened_at <= ${p.at} or (kind = 'missed' and missed_since <= ${ranFrom}))
      and (kind in ('missed', 'stalled') or private.outcomes_in_a_row(${p.jobId}, false))
    returning id`;
  return resolved.map((row) => row.id);
}
