import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { BatchedRateLimiter } from "./batched";
import type { RequestHeaders } from "../http/reply";
import { digestKey, hitRateLimit, tooManyRequests, type RateRule } from "./limiter";

/** The credential a machine request presents (report secret, ingest or read key), if any. */
function presentedCredential(headers: RequestHeaders): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  return bearer?.trim() || headers.get("x-jobboard-secret")?.trim() || headers.get("x-tc-portal-webhook-secret")?.trim() || null;
}

/**
 * A 429 when the request's key has used up `rule`, else null. Keyless requests share one
 * bucket: they are refused by authentication anyway, and must not flood it for free.
 */
export async function limitByKey(request: Request, getSql: () => Promise<Sql>, rule: RateRule): Promise<Response | null> {
  const retryAfter = await keyRetryAfter(request.headers, getSql, rule);
  return retryAfter === null ? null : tooManyRequests(retryAfter);
}

/** limitByKey's verdict for any transport: seconds until the key may send again, or null. */
export async function keyRetryAfter(headers: RequestHeaders, getSql: () => Promise<Sql>, rule: RateRule): Promise<number | null> {
  const credential = presentedCredential(headers);
  try {
    const decision = await keyLimiter(getSql).hit(rule, credential ? digestKey(credential) : "none");
    return decision.allowed ? null : decision.retryAfterSeconds;
  } catch {
    return null;
  }
}

/**
 * Whether `credential` may send one more request under `rule`, counted with the keys' other
 * requests (in memory, shared once a second). Never refuses because the database is down.
 */
export async function hitKeyLimit(getSql: () => Promise<Sql>, rule: RateRule, credential: string): Promise<boolean> {
  try {
    return (await keyLimiter(getSql).hit(rule, digestKey(credential))).allowed;
  } catch {
    return true;
  }
}

const limiters = new WeakMap<() => Promise<Sql>, BatchedRateLimiter>();

/** Keys send many requests a second: their counts are kept in memory and shared once a second. */
function keyLimiter(getSql: () => Promise<Sql>): BatchedRateLimiter {
  let limiter = limiters.get(getSql);
  if (!limiter) {
    limiter = new BatchedRateLimiter(getSql);
    limiters.set(getSql, limiter);
  }
  return limiter;
}

export async function limitBy(getSql: () => Promise<Sql>, rule: RateRule, key: string): Promise<Response | null> {
  try {
    const decision = await withService(await getSql(), (tx) => hitRateLimit(tx, rule, key));
    return decision.allowed ? null : tooManyRequests(decision.retryAfterSeconds);
  } catch {
    // The handler reports an unreachable database itself (503); the limiter never adds its own failure.
    return null;
  }
}
