import type { Tx } from "../db/transactions";
import { recordIncident, resolveIncidents } from "../incidents/transitions";
import { queueRunAlert } from "./outbox";

/**
 * A run that something other than its executor ended (the tick timed it out, its agent's
 * lease ran out): the job's incident and its alert, in the transaction that ended the run.
 * Answers the incident it opened, or null when it added to one already open.
 */
export async function recordEndedRun(
  tx: Tx,
  p: {
    workspaceId: string;
    jobId: string;
    runId: string;
    status: "timed_out" | "lost";
    message: string;
    at: Date;
    /** When the run really ran out, if before `at`: the tick notices a timeout up to a minute late. */
    ranOutAt?: Date;
  },
): Promise<string | null> {
  const incident = await recordIncident(tx, {
    workspaceId: p.workspaceId,
    jobId: p.jobId,
    kind: p.status,
    runId: p.runId,
    // Dated when the run ran out, so what came after that can resolve it.
    at: p.ranOutAt ?? p.at,
    message: p.message,
  });
  const openedIncidentId = incident.isNew ? incident.incidentId : null;
  await queueRunAlert(tx, { runId: p.runId, workspaceId: p.workspaceId, jobId: p.jobId, status: p.status, openedIncidentId, resolvedIncidentIds: [] });
  if (openedIncidentId && p.ranOutAt) await resolveBySuccessSince(tx, { workspaceId: p.workspaceId, jobId: p.jobId, since: p.ranOutAt });
  return openedIncidentId;
}

/**
 * A success that finished after the run ran out, but before the tick noticed, came later than
 * the failure: it resolves the incident just opened, with its recovery, as it would have had the
 * tick been on time. Otherwise the incident stayed open until the job's next success.
 */
async function resolveBySuccessSince(tx: Tx, p: { workspaceId: string; jobId: string; since: Date }): Promise<void> {
  const [success] = await tx<{ id: string; started_at: Date | null; finished_at: Date }[]>`
    select id, started_at, finished_at from runs
    where job_id = ${p.jobId} and status = 'succeeded' and finished_at > ${p.since}
    order by finished_at desc, id desc
    limit 1`;
  if (!success) return;
  const resolvedIncidentIds = await resolveIncidents(tx, { jobId: p.jobId, runId: success.id, at: success.finished_at, startedAt: success.started_at });
  if (resolvedIncidentIds.length === 0) return;
  await queueRunAlert(tx, { runId: success.id, workspaceId: p.workspaceId, jobId: p.jobId, status: "succeeded", openedIncidentId: null, resolvedIncidentIds });
}
