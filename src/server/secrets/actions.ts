"use server";

import { revalidatePath } from "next/cache";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { deleteHttpSecretSchema, httpSecretSchema } from "./schemas";
import { deleteHttpSecret, setHttpSecret } from "./http-secrets";

export async function saveHttpSecretAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = httpSecretSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", "Only admins can manage HTTP secrets.", async ({ workspace, user, db }) => {
    await db((tx) => setHttpSecret(tx, { workspaceId: workspace.id, name: input.data.name, value: input.data.value, allowedHosts: input.data.allowedHosts, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/settings");
    return { ok: true };
  });
}

export async function deleteHttpSecretAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = deleteHttpSecretSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", "Only admins can manage HTTP secrets.", async ({ workspace, user, db }) => {
    await db((tx) => deleteHttpSecret(tx, { workspaceId: workspace.id, name: input.data.name, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/settings");
    return { ok: true };
  });
}
