"use server";

import { revalidatePath } from "next/cache";
import { getEnv, isSupabaseAuth } from "@/lib/env";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { getSql } from "../db/client";
import { withService } from "../db/transactions";
import { hitRateLimit } from "../rate-limit/limiter";
import { INVITES_PER_WORKSPACE } from "../rate-limit/rules";
import { publicAppUrl } from "../settings/app-url";
import { changeRoleSchema, inviteSchema, removeMemberSchema, revokeInvitationSchema } from "../settings/schemas";
import { createInvitation, revokeInvitation } from "./invitations";
import { changeMemberRole, removeMember } from "./service";
import { inviteThroughSupabase } from "./supabase-invite";

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
