import { z } from "zod";

export { EVENTS } from "@/server/events";

// Payloads are parsed where they enter a function: an event is data from outside.
export const runRequestedSchema = z.object({ runId: z.uuid(), workspaceId: z.uuid() });
