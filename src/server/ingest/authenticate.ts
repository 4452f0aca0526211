import type { Tx } from "../db/transactions";
import { hashIngestKey, parseIngestKey, secretsEqual } from "./keys";

export type ReporterConfig = {
  /** JOBBOARD_WEBHOOK_SECRET: one shared secret whose reports go to the default workspace. */
  webhookSecret?: string;
  /** Slug of that workspace; without it, the oldest workspace. */
  defaultWorkspace?: string;
};

export type Reporter = { workspaceId: string; keyId: string | null };
export type ReporterRefusal = { status: 401 | 403 | 500; error: string };

/** The secret a request carries, in any of the headers reporters use. */
export function providedSecret(headers: Headers): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  return (
    headers.get("x-jobboard-secret")?.trim() ||
    bearer?.trim() ||
    headers.get("x-tc-portal-webhook-secret")?.trim() ||
    null
  );
}

const INVALID = { status: 401, error: "Invalid or missing webhook secret" } as const;

async function reporterForKey(tx: Tx, token: string, prefix: string): Promise<Reporter | ReporterRefusal> {
  const [key] = await tx<{ id: string; workspace_id: string; secret_hash: string; scope: string; revoked_at: Date | null }[]>`
    select id, workspace_id, secret_hash, scope, revoked_at from ingest_keys where prefix = ${prefix}`;
  // Compare even when no row matched, so a wrong prefix costs the same as a wrong secret.
  const isMatch = secretsEqual(hashIngestKey(token), key?.secret_hash ?? "") && Boolean(key);
  if (!key || !isMatch) return INVALID;
  if (key.revoked_at) return { status: 401, error: "This ingest key has been revoked" };
  if (key.scope !== "report") return { status: 403, error: "This ingest key can only read; use a report key to send reports" };
  // One write a minute is enough for "last used", and spares a hot key a row lock per report.
  await tx`
    update ingest_keys set last_used_at = now()
    where id = ${key.id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
  return { workspaceId: key.workspace_id, keyId: key.id };
}

async function defaultWorkspaceId(tx: Tx, slug: string | undefined): Promise<string | null> {
  const [workspace] = slug
    ? await tx<{ id: string }[]>`select id from workspaces where slug = ${slug}`
    : await tx<{ id: string }[]>`select id from workspaces order by created_at, id limit 1`;
  return workspace?.id ?? null;
}

/**
 * Who is reporting: an ingest key (`jb_…`, its own workspace) or the shared webhook secret
 * (the default workspace). Answers as seed 003 does: 500 when no secret is configured, 401 for
 * a missing or wrong one.
 */
export async function authenticateReporter(
  tx: Tx,
  headers: Headers,
  config: ReporterConfig,
): Promise<Reporter | ReporterRefusal> {
  const secret = providedSecret(headers);
  const keyPrefix = secret ? parseIngestKey(secret) : null;
  if (secret && keyPrefix) return reporterForKey(tx, secret, keyPrefix);

  if (!config.webhookSecret) {
    // Seed 003's scripts get its answer for a server with no secret set; anyone else, a plain 401.
    return headers.has("x-tc-portal-webhook-secret") ? { status: 500, error: "Server configuration error" } : INVALID;
  }
  if (!secret || !secretsEqual(secret, config.webhookSecret)) return INVALID;
  const workspaceId = await defaultWorkspaceId(tx, config.defaultWorkspace);
  if (!workspaceId) return { status: 500, error: "Server configuration error" };
  return { workspaceId, keyId: null };
}
