"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fieldErrors, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { acknowledgeIncident } from "./service";

const acknowledgeSchema = z.object({ incidentId: z.uuid("Unknown incident.") });

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
