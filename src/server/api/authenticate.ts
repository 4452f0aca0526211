import type { Tx } from "../db/transactions";
import { providedSecret } from "../ingest/authenticate";
import { hashIngestKey, parseIngestKey, secretsEqual } from "../ingest/keys";

/** Who is reading: an ingest key, on behalf of its own workspace. */
export type ApiReader = { workspaceId: string; keyId: string; scope: "read" };
export type ApiRefusal = { status: 401 | 403; error: string };

const MISSING = { status: 401, error: "Send an ingest key: Authorization: Bearer jb_… (or X-Jobboard-Secret)" } as const;
const INVALID = { status: 401, error: "Invalid ingest key" } as const;

/**
 * Authenticates a read API request by its ingest key, scope `read` only: a report key sits in
 * scripts on many machines, and one of them leaking must not expose the workspace (the shared
 * webhook secret is for reports only too). The row is found by the key's prefix, the hash
 * compared in constant time, and a revoked key is refused at once.
 */
export async function authenticateReader(tx: Tx, headers: Headers): Promise<ApiReader | ApiRefusal> {
  const secret = providedSecret(headers);
  if (!secret) return MISSING;
  const prefix = parseIngestKey(secret);
  const [key] = prefix
    ? await tx<{ id: string; workspace_id: string; secret_hash: string; scope: "read" | "report"; revoked_at: Date | null }[]>`
        select id, workspace_id, secret_hash, scope, revoked_at from ingest_keys where prefix = ${prefix}`
    : [];
  // Compare even when no row matched, so a wrong prefix costs the same as a wrong secret.
  const isMatch = secretsEqual(hashIngestKey(secret), key?.secret_hash ?? "") && Boolean(key);
  if (!key || !isMatch) return INVALID;
  if (key.revoked_at) return { status: 401, error: "This ingest key has been revoked" };
  if (key.scope !== "read") return { status: 403, error: "This ingest key can only report; use a read key to read" };
  // As for reports: one write a minute is enough for "last used".
  await tx`
    update ingest_keys set last_used_at = now()
    where id = ${key.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
  return { workspaceId: key.workspace_id, keyId: key.id, scope: "read" };
}
