import { z } from "zod";

// Payloads are parsed where they enter a function: an event is data from outside.
export const runRequestedSchema = z.object({ runId: z.uuid(), workspaceId: z.uuid() });
export const runCancelRequestedSchema = z.object({ runId: z.uuid() });
export const runFinishedSchema = z.object({
  runId: z.uuid(),
  workspaceId: z.uuid(),
  jobId: z.uuid(),
  status: z.enum(["succeeded", "failed", "timed_out", "canceled"]),
  openedIncidentId: z.uuid().nullable(),
  resolvedIncidentIds: z.array(z.uuid()),
});
export const jobMissedSchema = z.object({ workspaceId: z.uuid(), jobId: z.uuid(), dueAt: z.string(), incidentId: z.uuid() });

export const EVENTS = {
  runRequested: "jobboard/run.requested",
  runCancelRequested: "jobboard/run.cancel-requested",
  runFinished: "jobboard/run.finished",
  jobMissed: "jobboard/job.missed",
} as const;
