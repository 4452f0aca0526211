import type { Db } from "../db/sql";

/** Where and by whom (no user id for the machine, such as the CLI's setup): a service's own parameters usually carry both. */
export type AuditedBy = { workspaceId: string; actor: { userId: string | null; email: string } };

export type AuditEvent = {
  action: string;
  targetType: string;
  targetId?: string | null;
  detail?: Record<string, unknown>;
};

/**
 * Appends to the audit log; call it in the same transaction as the change it describes.
 * public.record_audit writes the row: for a signed-in user it takes the actor from the session
 * and the time from the database, so no one can append an entry in another's name or date.
 */
export async function recordAudit(db: Db, by: AuditedBy, event: AuditEvent): Promise<void> {
  await db`
    select public.record_audit(${by.workspaceId}::uuid, ${by.actor.userId}::uuid, ${by.actor.email}, ${event.action},
                               ${event.targetType}, ${event.targetId ?? null}, ${db.json((event.detail ?? {}) as never)})`;
}
