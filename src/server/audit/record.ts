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

/** Appends to the audit log; call it in the same transaction as the change it describes. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db`
    insert into audit_log (workspace_id, actor_id, actor_label, action, target_type, target_id, detail)
    values (${entry.workspaceId}, ${entry.actorId}, ${entry.actorLabel}, ${entry.action},
            ${entry.targetType}, ${entry.targetId ?? null}, ${db.json((entry.detail ?? {}) as never)})`;
}
