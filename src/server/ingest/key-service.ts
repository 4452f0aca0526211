import { recordAudit } from "../audit/record";
import { refuseUnchanged } from "../auth/role-check";
import type { Tx } from "../db/transactions";
import { rethrowDenied } from "../errors";
import type { Actor } from "../auth/actor";
import { generateIngestKey } from "./keys";

export type IngestKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scope: "report" | "read";
  created_at: Date;
  created_by_email: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

/** Admins only (RLS); the hash is never selected, and cannot be. */
export async function listIngestKeys(tx: Tx, workspaceId: string): Promise<IngestKeyRow[]> {
  return tx<IngestKeyRow[]>`
    select k.id, k.name, k.prefix, k.scope, k.created_at, m.email as created_by_email, k.last_used_at, k.revoked_at
    from ingest_keys k
    left join public.workspace_members(${workspaceId}) m on m.user_id = k.created_by
    where k.workspace_id = ${workspaceId}
    order by k.revoked_at is not null, k.created_at desc`;
}

/** Creates a key and returns its token: the only time it exists outside the caller's hands. */
export async function createIngestKey(
  tx: Tx,
  p: { workspaceId: string; name: string; scope: "report" | "read"; actor: Actor },
): Promise<{ id: string; token: string; prefix: string }> {
  const key = generateIngestKey();
  try {
    const [row] = await tx<{ id: string }[]>`
      insert into ingest_keys (workspace_id, name, prefix, secret_hash, scope, created_by)
      values (${p.workspaceId}, ${p.name}, ${key.prefix}, ${key.hash}, ${p.scope}, ${p.actor.userId})
      returning id`;
    await recordAudit(tx, p, {
      action: "key.created", targetType: "ingest_key", targetId: row!.id,
      detail: { name: p.name, scope: p.scope, prefix: key.prefix },
    });
    return { id: row!.id, token: key.token, prefix: key.prefix };
  } catch (error) {
    rethrowDenied(error, "keys.createRefused");
  }
}

export async function revokeIngestKey(tx: Tx, p: { workspaceId: string; keyId: string; actor: Actor }): Promise<void> {
  const revoked = await tx<{ name: string; prefix: string }[]>`
    update ingest_keys set revoked_at = now(), revoked_by = ${p.actor.userId}
    where id = ${p.keyId} and workspace_id = ${p.workspaceId} and revoked_at is null
    returning name, prefix`;
  if (revoked.length === 0) await refuseUnchanged(tx, p.workspaceId, { minimum: "admin", refusal: "keys.revokeRefused", missing: "keys.notFound" });
  await recordAudit(tx, p, {
    action: "key.revoked", targetType: "ingest_key", targetId: p.keyId,
    detail: { name: revoked[0]!.name, prefix: revoked[0]!.prefix },
  });
}
