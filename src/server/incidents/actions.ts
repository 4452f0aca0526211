"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fieldErrors, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { acknowledgeIncident, acknowledgeIncidents } from "./service";

const acknowledgeSchema = z.object({ incidentId: z.uuid("Unknown incident.") });
const bulkAcknowledgeSchema = z.object({
  incidentIds: z.array(z.uuid("Unknown incident.")).min(1, "Select at least one incident."),
});

export async function acknowledgeIncidentAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = acknowledgeSchema.safeParse({ incidentId: form.get("incidentId") });
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("operator", "Only operators and admins can acknowledge incidents.", async ({ workspace, user, db }) => {
    await db((tx) =>
      acknowledgeIncident(tx, { workspaceId: workspace.id, incidentId: input.data.incidentId, actor: { userId: user.id, email: user.email } }),
    );
    revalidatePath("/incidents");
    return { ok: true };
  });
}

/** Acknowledges the incidents ticked on /incidents, in one transaction. */
export async function acknowledgeIncidentsAction(_: ActionState & { count?: number }, form: FormData): Promise<ActionState & { count?: number }> {
  return guardedAction("operator", "Only operators and admins can acknowledge incidents.", async ({ workspace, user, db }) => {
    const input = bulkAcknowledgeSchema.safeParse({ incidentIds: form.getAll("incidentId") });
    if (!input.success) return fieldErrors(input.error);
    const acknowledged = await db((tx) =>
      acknowledgeIncidents(tx, { workspaceId: workspace.id, incidentIds: input.data.incidentIds, actor: { userId: user.id, email: user.email } }),
    );
    revalidatePath("/incidents");
    return { ok: true, count: acknowledged.length };
  });
}
