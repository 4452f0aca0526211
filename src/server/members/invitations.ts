import type { ServerMessageKey } from "@/lib/i18n/server-messages";
import { createHash, randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record";
import { refuseUnchanged } from "../auth/role-check";
import type { Role } from "../workspaces/roles";
import { createUser } from "../auth/users";
import type { Tx } from "../db/transactions";
import { AppError, rethrowDenied } from "../errors";
import type { Actor } from "../auth/actor";

export const INVITATION_TTL_DAYS = 7;

export type PendingInvitation = { id: string; email: string; role: Role; created_at: Date; expires_at: Date; invited_by_email: string | null };

/** SHA-256 of a link's token: 256 random bits need no slow hash. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Creates a pending invitation (as an admin, under RLS) and returns its token: the only time it
 * exists outside the link the admin is shown. An earlier pending invitation to the same
 * address is revoked, so only the newest link works.
 */
export async function createInvitation(
  tx: Tx,
  p: { workspaceId: string; email: string; role: Role; actor: Actor },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const refusal = p.role === "owner" ? "members.inviteOwnerRefused" : "members.inviteRefused";
  const email = p.email.trim().toLowerCase();
  try {
    const [member] = await tx`select 1 from public.workspace_members(${p.workspaceId}) where lower(email) = ${email}`;
    if (member) throw new AppError("conflict", "members.alreadyMember", { field: "email" });
    const replaced = await tx`
      update invitations set revoked_at = now(), revoked_by = ${p.actor.userId}
      where workspace_id = ${p.workspaceId} and email = ${email} and accepted_at is null and revoked_at is null
      returning id`;
    const token = randomBytes(32).toString("base64url");
    const [row] = await tx<{ id: string; expires_at: Date }[]>`
      insert into invitations (workspace_id, email, role, token_hash, invited_by, expires_at)
      values (${p.workspaceId}, ${email}, ${p.role}, ${hashInvitationToken(token)}, ${p.actor.userId},
              now() + make_interval(days => ${INVITATION_TTL_DAYS}))
      returning id, expires_at`;
    await recordAudit(tx, p, {
      action: "invitation.created", targetType: "invitation", targetId: row!.id,
      detail: { email, role: p.role, expires_at: row!.expires_at.toISOString(), replaced: replaced.length },
    });
    return { id: row!.id, token, expiresAt: row!.expires_at };
  } catch (error) {
    if (error instanceof AppError) throw error;
    rethrowDenied(error, refusal);
  }
}

/** A workspace's invitations that can still be accepted; admins only (RLS), never the hash. */
export async function listPendingInvitations(tx: Tx, workspaceId: string): Promise<PendingInvitation[]> {
  return tx<PendingInvitation[]>`
    select i.id, i.email, i.role, i.created_at, i.expires_at, m.email as invited_by_email
    from invitations i
    left join public.workspace_members(${workspaceId}) m on m.user_id = i.invited_by
    where i.workspace_id = ${workspaceId} and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
    order by i.created_at desc`;
}

export async function revokeInvitation(tx: Tx, p: { workspaceId: string; invitationId: string; actor: Actor }): Promise<void> {
  const revoked = await tx<{ email: string; role: Role }[]>`
    update invitations set revoked_at = now(), revoked_by = ${p.actor.userId}
    where id = ${p.invitationId} and workspace_id = ${p.workspaceId} and accepted_at is null and revoked_at is null
    returning email, role`;
  if (revoked.length === 0) await refuseUnchanged(tx, p.workspaceId, { minimum: "admin", refusal: "invitations.revokeRefused", missing: "invitations.notFound" });
  await recordAudit(tx, p, {
    action: "invitation.revoked", targetType: "invitation", targetId: p.invitationId,
    detail: { email: revoked[0]!.email, role: revoked[0]!.role },
  });
}

export type InvitationState = "pending" | "expired" | "revoked" | "accepted";

export type InvitationView = {
  id: string;
  workspaceId: string;
  workspaceName: string;
  workspaceSlug: string;
  email: string;
  role: Role;
  state: InvitationState;
  /** Whether an account with the invited address exists (it must sign in to accept). */
  hasAccount: boolean;
};

/** What a link's token invites to, or null for a token that was never issued. Service role. */
export async function findInvitation(tx: Tx, token: string): Promise<InvitationView | null> {
  const [row] = await tx<(Omit<InvitationView, "state"> & { state: InvitationState })[]>`
    select i.id, i.workspace_id as "workspaceId", w.name as "workspaceName", w.slug as "workspaceSlug", i.email, i.role,
           case when i.accepted_at is not null then 'accepted'
                when i.revoked_at is not null then 'revoked'
                when i.expires_at <= now() then 'expired'
                else 'pending' end as state,
           exists (select 1 from auth.users u where lower(u.email) = i.email) as "hasAccount"
    from invitations i join workspaces w on w.id = i.workspace_id
    where i.token_hash = ${hashInvitationToken(token)}`;
  return row ?? null;
}

const REFUSALS: Record<Exclude<InvitationState, "pending">, ServerMessageKey> = {
  expired: "invitations.expired",
  revoked: "invitations.revoked",
  accepted: "invitations.used",
};


/**
 * Locks the invitation a token names and checks it can be accepted by `email`; returns it.
 * The lock makes a token single-use even when two people present it at once.
 */
async function claimInvitation(tx: Tx, token: string, email: string): Promise<{ id: string; workspace_id: string; role: Role; email: string }> {
  const [row] = await tx<{ id: string; workspace_id: string; role: Role; email: string; state: InvitationState }[]>`
    select id, workspace_id, role, email,
           case when accepted_at is not null then 'accepted'
                when revoked_at is not null then 'revoked'
                when expires_at <= now() then 'expired'
                else 'pending' end as state
    from invitations where token_hash = ${hashInvitationToken(token)}
    for update`;
  if (!row) throw new AppError("not_found", "invitations.invalidLink");
  if (row.state !== "pending") throw new AppError("conflict", REFUSALS[row.state]);
  if (row.email !== email.trim().toLowerCase()) throw new AppError("forbidden", "invitations.notYours");
  return row;
}

async function join(tx: Tx, invitation: { id: string; workspace_id: string; role: Role; email: string }, user: { id: string; email: string }, accountCreated: boolean) {
  const added = await tx`
    insert into memberships (workspace_id, user_id, role) values (${invitation.workspace_id}, ${user.id}, ${invitation.role})
    on conflict (workspace_id, user_id) do nothing
    returning user_id`;
  if (added.length === 0) throw new AppError("conflict", "invitations.youAreMember");
  await tx`update invitations set accepted_at = now(), accepted_by = ${user.id} where id = ${invitation.id}`;
  await recordAudit(tx, { workspaceId: invitation.workspace_id, actor: { userId: user.id, email: user.email } }, {
    action: "invitation.accepted", targetType: "invitation", targetId: invitation.id,
    detail: { email: invitation.email, role: invitation.role, account_created: accountCreated },
  });
}

/**
 * The signed-in `user` accepts the invitation a token names, if it is addressed to them.
 * Service role: the session proved who they are; the token proves they were invited.
 */
export async function acceptInvitation(tx: Tx, p: { token: string; user: { id: string; email: string } }): Promise<{ workspaceId: string; workspaceSlug: string }> {
  const invitation = await claimInvitation(tx, p.token, p.user.email);
  await join(tx, invitation, p.user, false);
  const [workspace] = await tx<{ slug: string }[]>`select slug from workspaces where id = ${invitation.workspace_id}`;
  return { workspaceId: invitation.workspace_id, workspaceSlug: workspace!.slug };
}

/**
 * A visitor without an account creates one for exactly the invited address and joins. An
 * address that already has an account is refused: its owner signs in and accepts instead.
 * Service role.
 */
export async function acceptInvitationWithNewAccount(
  tx: Tx,
  p: { token: string; password: string },
): Promise<{ user: { id: string; email: string }; workspaceSlug: string }> {
  const [row] = await tx<{ email: string }[]>`select email from invitations where token_hash = ${hashInvitationToken(p.token)}`;
  if (!row) throw new AppError("not_found", "invitations.invalidLink");
  const invitation = await claimInvitation(tx, p.token, row.email);
  const [existing] = await tx`select 1 from auth.users where lower(email) = ${invitation.email}`;
  if (existing) throw new AppError("conflict", "invitations.signInToAccept");
  const { id } = await createUser(tx, { email: invitation.email, password: p.password });
  const user = { id, email: invitation.email };
  await join(tx, invitation, user, true);
  const [workspace] = await tx<{ slug: string }[]>`select slug from workspaces where id = ${invitation.workspace_id}`;
  return { user, workspaceSlug: workspace!.slug };
}
