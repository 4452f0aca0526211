import type { RequestHeaders } from "../http/reply";
import type { IngestSender } from "./groups";
import { hashIngestKey, parseIngestKey, secretsEqual } from "./keys";

export type ReporterConfig = {
  /** JOBBOARD_WEBHOOK_SECRET: one shared secret whose reports go to the default workspace. */
  webhookSecret?: string;
  /** Slug of that workspace; without it, the first workspace ever made. */
  defaultWorkspace?: string;
};

/** The secret a request carries, in any of the headers reporters use. */
export function providedSecret(headers: RequestHeaders): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  return (
    headers.get("x-jobboard-secret")?.trim() ||
    bearer?.trim() ||
    headers.get("x-tc-portal-webhook-secret")?.trim() ||
    null
  );
}

export type ReporterRefusal = { status: 401 | 403 | 500; error: string };

const INVALID = { status: 401, error: "Invalid or missing webhook secret" } as const;

/**
 * Who is reporting, as far as the request alone tells: an ingest key (`jb_…`, checked against its
 * stored hash by the database) or the shared webhook secret (the default workspace). Answers as
 * seed 003 does: 500 when no secret is configured, 401 for a missing or wrong one.
 */
export function reportSender(headers: RequestHeaders, config: ReporterConfig): IngestSender | ReporterRefusal {
  const secret = providedSecret(headers);
  const keyPrefix = secret ? parseIngestKey(secret) : null;
  if (secret && keyPrefix) return { key: { prefix: keyPrefix, hash: hashIngestKey(secret) } };

  if (!config.webhookSecret) {
    // Seed 003's scripts get its answer for a server with no secret set; anyone else, a plain 401.
    return headers.get("x-tc-portal-webhook-secret") !== null ? { status: 500, error: "Server configuration error" } : INVALID;
  }
  if (!secret || !secretsEqual(secret, config.webhookSecret)) return INVALID;
  return { workspace: { slug: config.defaultWorkspace ?? null } };
}
