"use server";

import { getEnv, isSupabaseAuth } from "@/lib/env";
import type { ActionState } from "@/lib/action-state";
import { workspaceAction } from "../auth/workspace-action";
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

const MEMBERS_PAGE = () => ["/settings/members"];

export const inviteMemberAction = workspaceAction<typeof inviteSchema, InviteState>(
  { role: "admin", refusal: "members.inviteRefused", schema: inviteSchema, revalidate: MEMBERS_PAGE },
  async (input, { workspace, actor, db }) => {
    // Each invitation may send an email: cap how fast a workspace can.
    const decision = await withService(await getSql(), (tx) => hitRateLimit(tx, INVITES_PER_WORKSPACE, workspace.id));
    if (!decision.allowed) return { error: `Too many invitations; try again in ${decision.retryAfterSeconds} s.` };
    const invitation = await db((tx) => createInvitation(tx, { workspaceId: workspace.id, email: input.email, role: input.role, actor }));
    const link = `${await publicAppUrl()}/invite/${invitation.token}`;
    const emailed = isSupabaseAuth(getEnv()) ? await inviteThroughSupabase(input.email, link) : false;
    return { ok: true, invited: { email: input.email, role: input.role, link, emailed } };
  },
);

export const revokeInvitationAction = workspaceAction(
  { role: "admin", refusal: "invitations.revokeRefused", schema: revokeInvitationSchema, revalidate: MEMBERS_PAGE },
  (input, { workspace, actor, db }) => db((tx) => revokeInvitation(tx, { workspaceId: workspace.id, invitationId: input.invitationId, actor })),
);

export const changeRoleAction = workspaceAction(
  { role: "admin", refusal: "members.changeRoleRefused", schema: changeRoleSchema, revalidate: MEMBERS_PAGE },
  (input, { workspace, actor, db }) => db((tx) => changeMemberRole(tx, { workspaceId: workspace.id, userId: input.userId, role: input.role, actor })),
);

export const removeMemberAction = workspaceAction(
  { role: "viewer", refusal: "members.leaveRefused", schema: removeMemberSchema, revalidate: () => [{ layout: "/" }] },
  (input, { workspace, actor, db }) => db((tx) => removeMember(tx, { workspaceId: workspace.id, userId: input.userId, actor })),
);
