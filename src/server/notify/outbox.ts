import type { Tx } from "../db/transactions";
import type { NotifyEvent } from "./messages";

export type NotifyPolicy = "failures_and_recoveries" | "every_run" | "never";

/** How a run ended, with what it did to the job's incidents. */
export type RunEnd = {
  runId: string;
  workspaceId: string;
  jobId: string;
  status: "succeeded" | "failed" | "timed_out" | "canceled" | "lost";
  openedIncidentId: string | null;
  resolvedIncidentIds: string[];
};

/** Which event, if any, a finished run is worth telling Slack about under the job's policy. */
export function eventForFinishedRun(end: Pick<RunEnd, "status" | "openedIncidentId" | "resolvedIncidentIds">, policy: NotifyPolicy): NotifyEvent | null {
  if (policy === "never") return null;
  const isFailure = end.status === "failed" || end.status === "timed_out" || end.status === "lost";
  if (isFailure && (end.openedIncidentId || policy === "every_run")) {
    return { kind: "failure", status: end.status as "failed" | "timed_out" | "lost" };
  }
  if (end.status === "succeeded" && end.resolvedIncidentIds.length > 0) return { kind: "recovery" };
  if (end.status === "succeeded" && policy === "every_run") return { kind: "success" };
  return null;
}

async function policyOf(tx: Tx, jobId: string): Promise<NotifyPolicy> {
  const [job] = await tx<{ notify_policy: NotifyPolicy }[]>`select notify_policy from jobs where id = ${jobId}`;
  return job?.notify_policy ?? "never";
}

/**
 * Writes the alert a finished run calls for, inside the transaction that finished it, so the
 * alert exists exactly when the run's end does. Says whether one was written; a run alerts at
 * most once per kind, so a repeated finish writes nothing.
 */
export async function queueRunAlert(tx: Tx, end: RunEnd, policy?: NotifyPolicy): Promise<boolean> {
  const event = eventForFinishedRun(end, policy ?? (await policyOf(tx, end.jobId)));
  if (!event) return false;
  const incidentId = event.kind === "recovery" ? (end.resolvedIncidentIds[0] ?? null) : end.openedIncidentId;
  const detail = event.kind === "failure" ? { status: event.status } : {};
  // Stamped when written, not when the transaction began: Slack hears alerts in that order, and
  // one transaction may write a failure and then its recovery (see recordEndedRun).
  const written = await tx`
    insert into alerts (workspace_id, job_id, run_id, incident_id, kind, detail, created_at)
    values (${end.workspaceId}, ${end.jobId}, ${end.runId}, ${incidentId}, ${event.kind}, ${tx.json(detail)}, clock_timestamp())
    on conflict do nothing
    returning id`;
  return written.length > 0;
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
