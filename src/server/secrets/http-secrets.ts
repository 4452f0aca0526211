import { recordAudit } from "../audit/record";
import type { Db } from "../db/sql";
import type { Tx } from "../db/transactions";
import { AppError, rethrowDenied } from "../errors";
import type { Actor } from "../runs/service";

export type HttpSecretName = { name: string; updated_at: Date };

/** Names only: the value column is not even granted to signed-in users. */
export async function listHttpSecretNames(tx: Tx, workspaceId: string): Promise<HttpSecretName[]> {
  return tx<HttpSecretName[]>`
    select name, updated_at from workspace_http_secrets where workspace_id = ${workspaceId} order by name`;
}

/** For the executor (service role) only: the values of the named secrets that exist. */
export async function readHttpSecretValues(db: Db, workspaceId: string, names: string[]): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  const rows = await db<{ name: string; value: string }[]>`
    select name, value from workspace_http_secrets where workspace_id = ${workspaceId} and name in ${db(names)}`;
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

const ADMINS_ONLY = "Only admins can manage HTTP secrets.";
const refuse = (error: unknown) => rethrowDenied(error, ADMINS_ONLY);

/** Adds or replaces a secret; the audit names it, never its value. */
export async function setHttpSecret(tx: Tx, p: { workspaceId: string; name: string; value: string; actor: Actor }): Promise<void> {
  try {
    const [existing] = await tx<{ name: string }[]>`
      select name from workspace_http_secrets where workspace_id = ${p.workspaceId} and name = ${p.name}`;
    // Not an upsert: ON CONFLICT DO UPDATE would need to read `value`, which nobody signed in may.
    if (existing) {
      await tx`
        update workspace_http_secrets set value = ${p.value}, updated_by = ${p.actor.userId}
        where workspace_id = ${p.workspaceId} and name = ${p.name}`;
    } else {
      await tx`
        insert into workspace_http_secrets (workspace_id, name, value, updated_by)
        values (${p.workspaceId}, ${p.name}, ${p.value}, ${p.actor.userId})`;
    }
    await recordAudit(tx, {
      workspaceId: p.workspaceId,
      actorId: p.actor.userId,
      actorLabel: p.actor.email,
      action: existing ? "http_secret.replaced" : "http_secret.created",
      targetType: "http_secret",
      targetId: p.name,
      detail: { name: p.name },
    });
  } catch (error) {
    refuse(error);
  }
}

export async function deleteHttpSecret(tx: Tx, p: { workspaceId: string; name: string; actor: Actor }): Promise<void> {
  const deleted = await tx`
    delete from workspace_http_secrets where workspace_id = ${p.workspaceId} and name = ${p.name} returning name`.catch(refuse);
  if (deleted.length === 0) throw new AppError("not_found", "No such secret in this workspace (or you are not an admin).");
  await recordAudit(tx, {
    workspaceId: p.workspaceId,
    actorId: p.actor.userId,
    actorLabel: p.actor.email,
    action: "http_secret.deleted",
    targetType: "http_secret",
    targetId: p.name,
    detail: { name: p.name },
  });
}
