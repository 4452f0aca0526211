import type { Db } from "../db/sql";

export type AuditEntry = {
  workspaceId: string;
  actorId: string | null;
  actorLabel: string;
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
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db`
    select public.record_audit(${entry.workspaceId}::uuid, ${entry.actorId}::uuid, ${entry.actorLabel}, ${entry.action},
                               ${entry.targetType}, ${entry.targetId ?? null}, ${db.json((entry.detail ?? {}) as never)})`;
}
