import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/passwords";
import type { Role } from "../auth/roles";
import type { Tx } from "../db/transactions";
import { AppError, UNIQUE_VIOLATION, rethrowDenied, sqlState } from "../errors";
import type { Actor } from "../runs/service";

export type Member = { user_id: string; email: string; role: Role; joined_at: Date };

export async function listMembers(tx: Tx, workspaceId: string): Promise<Member[]> {
  return tx<Member[]>`select user_id, email, role, joined_at from public.workspace_members(${workspaceId})`;
}

function translate(error: unknown, refusal: string): never {
  if (error instanceof AppError) throw error;
  const hint = (error as { hint?: string }).hint;
  if (hint === "last_owner") throw new AppError("conflict", "A workspace needs an owner: make someone else owner first.", "role");
  rethrowDenied(error, refusal);
}

/** A readable one-time password: 16 characters from an alphabet without look-alikes. */
export function generateOneTimePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  return Array.from(randomBytes(16), (byte) => alphabet[byte % alphabet.length]).join("");
}

export type Invitation = { userId: string; email: string; role: Role; oneTimePassword: string | null };

/**
 * Adds a person by email (built-in auth): an existing account joins as is; a new one is
 * created with a one-time password, returned here to be shown once and never stored in clear.
 * With Supabase Auth, `invitedUserId` comes from Supabase's own invite instead.
 */
export async function inviteMember(
  tx: Tx,
  p: { workspaceId: string; email: string; role: Role; actor: Actor; invitedUserId?: string },
): Promise<Invitation> {
  const refusal = p.role === "owner" ? "Only an owner can make someone an owner." : "Only admins can invite members.";
  try {
    let userId = p.invitedUserId;
    let oneTimePassword: string | null = null;
    if (!userId) {
      const password = generateOneTimePassword();
      const [invitee] = await tx<{ user_id: string; created: boolean }[]>`
        select user_id, created from private.find_or_create_invitee(${p.workspaceId}, ${p.email}, ${await hashPassword(password)})`;
      userId = invitee!.user_id;
      if (invitee!.created) oneTimePassword = password;
    }
    await tx`insert into memberships (workspace_id, user_id, role) values (${p.workspaceId}, ${userId}, ${p.role})`;
    await recordAudit(tx, {
      workspaceId: p.workspaceId,
      actorId: p.actor.userId,
      actorLabel: p.actor.email,
      action: "member.invited",
      targetType: "member",
      targetId: userId,
      detail: { email: p.email, role: p.role, account_created: oneTimePassword !== null },
    });
    return { userId, email: p.email, role: p.role, oneTimePassword };
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError("conflict", "That person is already a member of this workspace.", "email");
    translate(error, refusal);
  }
}

async function memberOrThrow(tx: Tx, workspaceId: string, userId: string): Promise<Member> {
  const [member] = await tx<Member[]>`
    select user_id, email, role, joined_at from public.workspace_members(${workspaceId}) where user_id = ${userId}`;
  if (!member) throw new AppError("not_found", "That person is not a member of this workspace.");
  return member;
}

export async function changeMemberRole(tx: Tx, p: { workspaceId: string; userId: string; role: Role; actor: Actor }): Promise<void> {
  const member = await memberOrThrow(tx, p.workspaceId, p.userId);
  if (member.role === p.role) return;
  const refusal = "Only an owner can give or take away the owner role; admins manage the other roles.";
  try {
    const updated = await tx`
      update memberships set role = ${p.role}
      where workspace_id = ${p.workspaceId} and user_id = ${p.userId}
      returning user_id`;
    if (updated.length === 0) throw new AppError("forbidden", refusal);
    await recordAudit(tx, {
      workspaceId: p.workspaceId,
      actorId: p.actor.userId,
      actorLabel: p.actor.email,
      action: "member.role_changed",
      targetType: "member",
      targetId: p.userId,
      detail: { email: member.email, before: { role: member.role }, after: { role: p.role } },
    });
  } catch (error) {
    translate(error, refusal);
  }
}

/** Removes a member; removing yourself is leaving, which any member may do (not the last owner). */
export async function removeMember(tx: Tx, p: { workspaceId: string; userId: string; actor: Actor }): Promise<void> {
  const member = await memberOrThrow(tx, p.workspaceId, p.userId);
  const isLeaving = p.userId === p.actor.userId;
  const refusal = "Only admins can remove members, and only an owner can remove an owner.";
  try {
    // Written first: someone leaving can no longer append to the log once they are gone. A
    // refused removal rolls the entry back with it.
    await recordAudit(tx, {
      workspaceId: p.workspaceId,
      actorId: p.actor.userId,
      actorLabel: p.actor.email,
      action: isLeaving ? "member.left" : "member.removed",
      targetType: "member",
      targetId: p.userId,
      detail: { email: member.email, role: member.role },
    });
    const removed = await tx`
      delete from memberships where workspace_id = ${p.workspaceId} and user_id = ${p.userId} returning user_id`;
    if (removed.length === 0) throw new AppError("forbidden", refusal);
  } catch (error) {
    translate(error, refusal);
  }
}
