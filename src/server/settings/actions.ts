"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getEnv, isSupabaseAuth } from "@/lib/env";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { getSql } from "../db/client";
import { withService } from "../db/transactions";
import { createIngestKey, revokeIngestKey } from "../ingest/key-service";
import { createInvitation, revokeInvitation } from "../members/invitations";
import { changeMemberRole, removeMember } from "../members/service";
import { inviteThroughSupabase } from "../members/supabase-invite";
import { postToSlack } from "../notify/send";
import { hitRateLimit } from "../rate-limit/limiter";
import { INVITES_PER_WORKSPACE } from "../rate-limit/rules";
import { deleteHttpSecret, setHttpSecret } from "../secrets/http-secrets";
import {
  changeRoleSchema,
  deleteHttpSecretSchema,
  deleteWorkspaceSchema,
  httpSecretSchema,
  createKeySchema,
  inviteSchema,
  removeMemberSchema,
  revokeInvitationSchema,
  revokeKeySchema,
  slackWebhookSchema,
  workspaceSettingsSchema,
} from "./schemas";
import { deleteWorkspace, readWorkspaceSlackWebhook, setWorkspaceSlackWebhook, updateWorkspaceSettings } from "./service";
import { WORKSPACE_COOKIE } from "../auth/context";
import { publicAppUrl } from "./app-url";

const ADMINS_ONLY = "Only admins can change workspace settings.";

export async function saveWorkspaceSettingsAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = workspaceSettingsSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", ADMINS_ONLY, async ({ workspace, user, db }) => {
    await db((tx) => updateWorkspaceSettings(tx, { workspaceId: workspace.id, values: input.data, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/", "layout");
    return { ok: true };
  });
}

export async function saveSlackWebhookAction(_: ActionState, form: FormData): Promise<ActionState> {
  const clear = form.get("clear") === "1";
  const input = clear ? null : slackWebhookSchema.safeParse(formFields(form));
  if (input && !input.success) return fieldErrors(input.error);
  return guardedAction("admin", ADMINS_ONLY, async ({ workspace, user, db }) => {
    await db((tx) =>
      setWorkspaceSlackWebhook(tx, { workspaceId: workspace.id, url: input?.data.slackWebhookUrl ?? null, actor: { userId: user.id, email: user.email } }),
    );
    revalidatePath("/settings");
    return { ok: true };
  });
}

export async function sendSlackTestAction(_: ActionState, _form: FormData): Promise<ActionState> {
  return guardedAction("admin", ADMINS_ONLY, async ({ workspace, user, db }) => {
    const url = await db((tx) => readWorkspaceSlackWebhook(tx, workspace.id));
    if (!url) return { error: "Save a Slack webhook URL first." };
    const text = `Jobboard test message for ${workspace.name}, sent by ${user.email}. Alerts for this workspace will arrive here.`;
    const delivered = await postToSlack(url, { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] }, { timeoutMs: 5000, backoffMs: 300 });
    return delivered ? { ok: true } : { error: "Slack did not accept the message. Check the webhook URL (the server log has Slack's answer)." };
  });
}

export type InviteState = ActionState & { invited?: { email: string; role: string; link: string; emailed: boolean } };

export async function inviteMemberAction(_: InviteState, form: FormData): Promise<InviteState> {
  const input = inviteSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  let invited: InviteState["invited"];
  const result = await guardedAction("admin", "Only admins can invite members.", async ({ workspace, user, db }) => {
    // Each invitation may send an email: cap how fast a workspace can.
    const decision = await withService(await getSql(), (tx) => hitRateLimit(tx, INVITES_PER_WORKSPACE, workspace.id));
    if (!decision.allowed) return { error: `Too many invitations; try again in ${decision.retryAfterSeconds} s.` };
    const invitation = await db((tx) =>
      createInvitation(tx, { workspaceId: workspace.id, email: input.data.email, role: input.data.role, actor: { userId: user.id, email: user.email } }),
    );
    const link = `${await publicAppUrl()}/invite/${invitation.token}`;
    const emailed = isSupabaseAuth(getEnv()) ? await inviteThroughSupabase(input.data.email, link) : false;
    invited = { email: input.data.email, role: input.data.role, link, emailed };
    revalidatePath("/settings/members");
    return { ok: true };
  });
  return { ...result, invited };
}

export async function revokeInvitationAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = revokeInvitationSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", "Only admins can revoke invitations.", async ({ workspace, user, db }) => {
    await db((tx) => revokeInvitation(tx, { workspaceId: workspace.id, invitationId: input.data.invitationId, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/settings/members");
    return { ok: true };
  });
}

export async function changeRoleAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = changeRoleSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", "Only admins can change roles.", async ({ workspace, user, db }) => {
    await db((tx) => changeMemberRole(tx, { workspaceId: workspace.id, userId: input.data.userId, role: input.data.role, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/settings/members");
    return { ok: true };
  });
}

export async function removeMemberAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = removeMemberSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("viewer", "Only members can leave a workspace.", async ({ workspace, user, db }) => {
    await db((tx) => removeMember(tx, { workspaceId: workspace.id, userId: input.data.userId, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/", "layout");
    return { ok: true };
  });
}

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

export async function deleteWorkspaceAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = deleteWorkspaceSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  const result = await guardedAction("owner", "Only an owner can delete the workspace.", async ({ workspace, user, db }) => {
    await db((tx) => deleteWorkspace(tx, { workspaceId: workspace.id, confirmSlug: input.data.confirmSlug, actor: { userId: user.id, email: user.email } }));
    (await cookies()).delete(WORKSPACE_COOKIE);
    return { ok: true };
  });
  if (!result.ok) return result;
  revalidatePath("/", "layout");
  redirect("/");
}

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
