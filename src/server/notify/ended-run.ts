import type { Tx } from "../db/transactions";
import { recordIncident } from "../incidents/transitions";
import { queueRunAlert } from "./outbox";

/**
 * A run that something other than its executor ended (the tick timed it out, its agent's
 * lease ran out): the job's incident and its alert, in the transaction that ended the run.
 * Answers the incident it opened, or null when it added to one already open.
 */
export async function recordEndedRun(
  tx: Tx,
  p: { workspaceId: string; jobId: string; runId: string; status: "timed_out" | "lost"; message: string; at: Date },
): Promise<string | null> {
  const incident = await recordIncident(tx, {
    workspaceId: p.workspaceId,
    jobId: p.jobId,
    kind: p.status,
    runId: p.runId,
    at: p.at,
    message: p.message,
  });
  const openedIncidentId = incident.isNew ? incident.incidentId : null;
  await queueRunAlert(tx, { runId: p.runId, workspaceId: p.workspaceId, jobId: p.jobId, status: p.status, openedIncidentId, resolvedIncidentIds: [] });
  return openedIncidentId;
}
