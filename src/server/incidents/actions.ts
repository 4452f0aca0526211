"use server";

import { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { workspaceAction } from "../auth/workspace-action";
import { acknowledgeIncident, acknowledgeIncidents } from "./service";

const REFUSED = "incidents.acknowledgeRefused";

const acknowledgeSchema = z.object({ incidentId: z.uuid("Unknown incident.") });
const bulkAcknowledgeSchema = z.object({
  incidentIds: z.array(z.uuid("Unknown incident.")).min(1, "Select at least one incident."),
});

export const acknowledgeIncidentAction = workspaceAction(
  { role: "operator", refusal: REFUSED, schema: acknowledgeSchema, revalidate: () => ["/incidents"] },
  (input, { workspace, actor, db }) => db((tx) => acknowledgeIncident(tx, { workspaceId: workspace.id, incidentId: input.incidentId, actor })),
);

/** Acknowledges the incidents ticked on /incidents, in one transaction. */
export const acknowledgeIncidentsAction = workspaceAction<typeof bulkAcknowledgeSchema, ActionState & { count?: number }>(
  {
    role: "operator",
    refusal: REFUSED,
    schema: bulkAcknowledgeSchema,
    read: (form) => ({ incidentIds: form.getAll("incidentId") }),
    revalidate: () => ["/incidents"],
  },
  async (input, { workspace, actor, db }) => {
    const acknowledged = await db((tx) => acknowledgeIncidents(tx, { workspaceId: workspace.id, incidentIds: input.incidentIds, actor }));
    return { ok: true, count: acknowledged.length };
  },
);
