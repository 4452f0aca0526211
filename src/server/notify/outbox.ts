import type { Tx } from "../db/transactions";

export type NotifyPolicy = "failures_and_recoveries" | "every_run" | "never";

async function policyOf(tx: Tx, jobId: string): Promise<NotifyPolicy> {
  const [job] = await tx<{ notify_policy: NotifyPolicy }[]>`select notify_policy from jobs where id = ${jobId}`;
  return job?.notify_policy ?? "never";
}

/** Whether a duration rule judged this run and the database wrote its alert (see private.queue_duration_alert). */
export async function isDurationAlertQueued(tx: Tx, runId: string): Promise<boolean> {
  const [row] = await tx<{ queued: boolean }[]>`select private.run_has_duration_alert(${runId}) as queued`;
  return row?.queued ?? false;
}

/**
 * Writes the alert an incident the tick opened calls for (a miss, a stall), in the transaction
 * that opened it. A job that notifies never gets none. Says whether one was written.
 */
export async function queueIncidentAlert(
  tx: Tx,
  p: { workspaceId: string; jobId: string; runId?: string; incidentId: string; kind: "missed" | "stalled"; detail: Record<string, unknown> },
  policy?: NotifyPolicy,
): Promise<boolean> {
  if ((policy ?? (await policyOf(tx, p.jobId))) === "never") return false;
  const written = await tx`
    insert into alerts (workspace_id, job_id, run_id, incident_id, kind, detail)
    values (${p.workspaceId}, ${p.jobId}, ${p.runId ?? null}, ${p.incidentId}, ${p.kind}, ${tx.json(p.detail as never)})
    on conflict do nothing
    returning id`;
  return written.length > 0;
}
