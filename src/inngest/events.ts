import { z } from "zod";

// Payloads are parsed where they enter a function: an event is data from outside.
export const runRequestedSchema = z.object({ runId: z.uuid(), workspaceId: z.uuid() });
export const runCancelRequestedSchema = z.object({ runId: z.uuid() });

export const EVENTS = {
  runRequested: "jobboard/run.requested",
  runCancelRequested: "jobboard/run.cancel-requested",
  // Rows are waiting in the alert outbox; the event carries nothing, the rows are the truth.
  alertsQueued: "jobboard/alerts.queued",
} as const;
