import { recordAudit } from "../audit/record";
import { refuseUnchanged } from "../auth/role-check";
import type { Db } from "../db/sql";
import type { Tx } from "../db/transactions";
import { rethrowDenied } from "../errors";
import type { Actor } from "../auth/actor";

export type HttpSecretName = { name: string; updated_at: Date; allowed_hosts: string[] };

/** Names and where they may go: the value column is not even granted to signed-in users. */
export async function listHttpSecretNames(tx: Tx, workspaceId: string): Promise<HttpSecretName[]> {
  return tx<HttpSecretName[]>`
    select name, updated_at, allowed_hosts from workspace_http_secrets where workspace_id = ${workspaceId} order by name`;
}

export type HttpSecretValue = { value: string; allowedHosts: string[] };

/** For the executor (service role) only: the named secrets that exist, with where each may go. */
export async function readHttpSecretValues(db: Db, workspaceId: string, names: string[]): Promise<Record<string, HttpSecretValue>> {
  if (names.length === 0) return {};
  const rows = await db<{ name: string; value: string; allowed_hosts: string[] }[]>`
    select name, value, allowed_hosts from workspace_http_secrets where workspace_id = ${workspaceId} and name in ${db(names)}`;
  return Object.fromEntries(rows.map((row) => [row.name, { value: row.value, allowedHosts: row.allowed_hosts }]));
}

/** The first referenced secret that may not be sent to `url`'s host, or null. */
export function secretNotAllowedFor(url: string, secrets: Array<{ name: string; allowedHosts: string[] }>): { name: string; allowedHosts: string[]; host: string } | null {
  const host = new URL(url).host.toLowerCase();
  const refused = secrets.find((secret) => !secret.allowedHosts.includes(host));
  return refused ? { ...refused, host } : null;
}

const ADMINS_ONLY = "secrets.manageRefused";
const refuse = (error: unknown) => rethrowDenied(error, ADMINS_ONLY);

/** Adds or replaces a secret; the audit names it, never its value. */
export async function setHttpSecret(
  tx: Tx,
  p: { workspaceId: string; name: string; value: string; allowedHosts: string[]; actor: Actor },
): Promise<void> {
  try {
    const [existing] = await tx<{ name: string }[]>`
      select name from workspace_http_secrets where workspace_id = ${p.workspaceId} and name = ${p.name}`;
    // Not an upsert: ON CONFLICT DO UPDATE would need to read `value`, which nobody signed in may.
    // The hosts change only together with the value, in one database function.
    if (existing) {
      await tx`select public.replace_http_secret(${p.workspaceId}, ${p.name}, ${p.value}, ${p.allowedHosts}::text[])`;
    } else {
      await tx`
        insert into workspace_http_secrets (workspace_id, name, value, allowed_hosts, updated_by)
        values (${p.workspaceId}, ${p.name}, ${p.value}, ${p.allowedHosts}::text[], ${p.actor.userId})`;
    }
    await recordAudit(tx, p, {
      action: existing ? "http_secret.replaced" : "http_secret.created", targetType: "http_secret", targetId: p.name,
      detail: { name: p.name, allowed_hosts: p.allowedHosts },
    });
  } catch (error) {
    refuse(error);
  }
}

export async function deleteHttpSecret(tx: Tx, p: { workspaceId: string; name: string; actor: Actor }): Promise<void> {
  const deleted = await tx`
    delete from workspace_http_secrets where workspace_id = ${p.workspaceId} and name = ${p.name} returning name`.catch(refuse);
  if (deleted.length === 0) await refuseUnchanged(tx, p.workspaceId, { minimum: "admin", refusal: "secrets.deleteRefused", missing: "secrets.notFound" });
  await recordAudit(tx, p, { action: "http_secret.deleted", targetType: "http_secret", targetId: p.name, detail: { name: p.name } });
}
