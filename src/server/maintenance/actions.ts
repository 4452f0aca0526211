"use server";

import { revalidatePath } from "next/cache";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { deleteMaintenanceSchema, maintenanceFormSchema, maintenanceValues } from "./schemas";
import { createMaintenanceWindow, deleteMaintenanceWindow } from "./service";

const REFUSED = "Only operators and admins can plan maintenance windows.";

export async function createMaintenanceWindowAction(_: ActionState, form: FormData): Promise<ActionState> {
  return guardedAction("operator", REFUSED, async ({ workspace, user, db }) => {
    const input = maintenanceFormSchema.safeParse(formFields(form));
    if (!input.success) return fieldErrors(input.error);
    await db((tx) => createMaintenanceWindow(tx, { workspaceId: workspace.id, values: maintenanceValues(input.data), actor: { userId: user.id, email: user.email } }));
    revalidatePath("/maintenance");
    return { ok: true };
  });
}

export async function deleteMaintenanceWindowAction(_: ActionState, form: FormData): Promise<ActionState> {
  return guardedAction("operator", REFUSED, async ({ workspace, user, db }) => {
    const input = deleteMaintenanceSchema.safeParse({ windowId: form.get("windowId") });
    if (!input.success) return fieldErrors(input.error);
    await db((tx) => deleteMaintenanceWindow(tx, { workspaceId: workspace.id, windowId: input.data.windowId, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/maintenance");
    return { ok: true };
  });
}
