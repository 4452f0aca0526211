import { createHash } from "node:crypto";
import type { Db } from "../db/sql";
import { errorReply, toResponse, type Reply } from "../http/reply";

/** A limit: at most `limit` hits per `windowSeconds` for each key of the rule. */
export type RateRule = { name: string; limit: number; windowSeconds: number };

export type RateDecision = { allowed: boolean; hits: number; retryAfterSeconds: number };

/** Keys that are secrets (API keys, report secrets) are stored only as their digest. */
export function digestKey(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 32);
}

/**
 * Counts one hit for `key` under `rule` and says whether it is within the limit. One atomic
 * upsert on PostgreSQL, whose clock decides the window, so every server instance agrees. The
 * window opens at the first hit, so a burst is never split across two windows. Needs the
 * service role.
 */
export async function hitRateLimit(db: Db, rule: RateRule, key: string): Promise<RateDecision> {
  const counted = await addRateLimitHits(db, rule, key, 1);
  return { allowed: counted.hits <= rule.limit, ...counted };
}

/** Adds `hits` to the key's count in its current window; answers the count and when the window closes. */
export async function addRateLimitHits(
  db: Db,
  rule: RateRule,
  key: string,
  hits: number,
): Promise<{ hits: number; retryAfterSeconds: number }> {
  const bucket = `${rule.name}:${key}`.slice(0, 300);
  const [row] = await db<{ hits: number; retry_after: number }[]>`
    insert into private.rate_limit_counters as c (bucket, window_start, window_seconds, hits)
    values (${bucket}, now(), ${rule.windowSeconds}, ${hits})
    on conflict (bucket) do update set
      hits = case when c.window_start + make_interval(secs => c.window_seconds) <= now() then excluded.hits else c.hits + excluded.hits end,
      window_start = case when c.window_start + make_interval(secs => c.window_seconds) <= now() then now() else c.window_start end,
      window_seconds = excluded.window_seconds
    returning hits,
      greatest(1, ceil(extract(epoch from window_start + make_interval(secs => window_seconds) - now())))::integer as retry_after`;
  // Now and then, whoever passes sweeps windows long closed; no scheduler is needed for it.
  if (Math.random() < 0.01) {
    await db`delete from private.rate_limit_counters where window_start < now() - interval '1 day'`;
  }
  return { hits: row!.hits, retryAfterSeconds: row!.retry_after };
}

/** Takes back a hit that turned out not to count (a successful sign-in). */
export async function refundRateLimit(db: Db, rule: RateRule, key: string): Promise<void> {
  const bucket = `${rule.name}:${key}`.slice(0, 300);
  await db`update private.rate_limit_counters set hits = greatest(hits - 1, 0) where bucket = ${bucket}`;
}

/** A JSON 429 with Retry-After, the answer every limited API route gives. */
export function tooManyRequests(retryAfterSeconds: number): Response {
  return toResponse(tooManyRequestsReply(retryAfterSeconds));
}

export function tooManyRequestsReply(retryAfterSeconds: number): Reply {
  return errorReply(429, `Too many requests; try again in ${retryAfterSeconds} s`, undefined, { "retry-after": String(retryAfterSeconds) });
}
