// The events Jobboard sends to Inngest, named in the server layer: the server sends them, and
// the Inngest functions (src/inngest) subscribe to them.
export const EVENTS = {
  runRequested: "jobboard/run.requested",
  runCancelRequested: "jobboard/run.cancel-requested",
  // Rows are waiting in the alert outbox; the event carries nothing, the rows are the truth.
  alertsQueued: "jobboard/alerts.queued",
} as const;

export const runRequested = (run: { id: string; workspaceId: string }) =>
  ({ name: EVENTS.runRequested, data: { runId: run.id, workspaceId: run.workspaceId } }) as const;

/** Stops the run's function between steps (its cancelOn matches data.runId). */
export const runCancelRequested = (runId: string) => ({ name: EVENTS.runCancelRequested, data: { runId } }) as const;

export const alertsQueued = () => ({ name: EVENTS.alertsQueued, data: {} }) as const;
