import type { ServerMessageKey } from "@/lib/i18n/server-messages";
import { recordAudit } from "../audit/record";
import type { Role } from "../workspaces/roles";
import type { Tx } from "../db/transactions";
import { AppError, rethrowDenied } from "../errors";
import type { Actor } from "../auth/actor";

export type Member = { user_id: string; email: string; role: Role; joined_at: Date };

export async function listMembers(tx: Tx, workspaceId: string): Promise<Member[]> {
  return tx<Member[]>`select user_id, email, role, joined_at from public.workspace_members(${workspaceId})`;
}

function translate(error: unknown, refusal: ServerMessageKey): never {
  if (error instanceof AppError) throw error;
  const hint = (error as { hint?: string }).hint;
  if (hint === "last_owner") throw new AppError("conflict", "members.ownerNeeded", { field: "role" });
  rethrowDenied(error, refusal);
}

async function memberOrThrow(tx: Tx, workspaceId: string, userId: string): Promise<Member> {
  const [member] = await tx<Member[]>`
    select user_id, email, role, joined_at from public.workspace_members(${workspaceId}) where user_id = ${userId}`;
  if (!member) throw new AppError("not_found", "members.notFound");
  return member;
}

export async function changeMemberRole(tx: Tx, p: { workspaceId: string; userId: string; role: Role; actor: Actor }): Promise<void> {
  const member = await memberOrThrow(tx, p.workspaceId, p.userId);
  if (member.role === p.role) return;
  const refusal = "members.roleRefused";
  try {
    const updated = await tx`
      update memberships set role = ${p.role}
      where workspace_id = ${p.workspaceId} and user_id = ${p.userId}
      returning user_id`;
    if (updated.length === 0) throw new AppError("forbidden", refusal);
    await recordAudit(tx, p, {
      action: "member.role_changed", targetType: "member", targetId: p.userId,
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
  const refusal = "members.removeRefused";
  try {
    // Written first: someone leaving can no longer append to the log once they are gone. A
    // refused removal rolls the entry back with it.
    await recordAudit(tx, p, {
      action: isLeaving ? "member.left" : "member.removed", targetType: "member", targetId: p.userId,
      detail: { email: member.email, role: member.role },
    });
    const removed = await tx`
      delete from memberships where workspace_id = ${p.workspaceId} and user_id = ${p.userId} returning user_id`;
    if (removed.length === 0) throw new AppError("forbidden", refusal);
  } catch (error) {
    translate(error, refusal);
  }
}
