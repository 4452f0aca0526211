"use server";

import { revalidatePath } from "next/cache";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { createKeySchema, revokeKeySchema } from "../settings/schemas";
import { createIngestKey, revokeIngestKey } from "./key-service";

export type CreateKeyState = ActionState & { created?: { name: string; scope: string; token: string } };

export async function createKeyAction(_: CreateKeyState, form: FormData): Promise<CreateKeyState> {
  const input = createKeySchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  let created: CreateKeyState["created"];
  const result = await guardedAction("admin", "Only admins can create keys.", async ({ workspace, user, db }) => {
    const key = await db((tx) => createIngestKey(tx, { workspaceId: workspace.id, name: input.data.name, scope: input.data.scope, actor: { userId: user.id, email: user.email } }));
    created = { name: input.data.name, scope: input.data.scope, token: key.token };
    revalidatePath("/settings/keys");
    return { ok: true };
  });
  return { ...result, created };
}

export async function revokeKeyAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = revokeKeySchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", "Only admins can revoke keys.", async ({ workspace, user, db }) => {
    await db((tx) => revokeIngestKey(tx, { workspaceId: workspace.id, keyId: input.data.keyId, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/settings/keys");
    return { ok: true };
  });
}
