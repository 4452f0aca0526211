import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { addRateLimitHits, type RateDecision, type RateRule } from "./limiter";

/** How long a process counts a key's hits on its own before adding them to the shared count. */
const SYNC_MS = 1000;

type Bucket = {
  /** Hits counted here since the last sync. */
  pending: number;
  /** The shared count at the last sync, this process's synced hits included. */
  shared: number;
  windowEndsAt: number;
  syncedAt: number;
  syncing: Promise<void> | null;
};

/**
 * A rate limit for hot keys (one ingest key sending hundreds of reports a second): each process
 * counts hits in memory and adds them to the shared PostgreSQL counter once a second, instead of
 * updating one counter row per request, which would queue every report of a key on that row's
 * lock. Within a process the count is exact; across N server processes a key can overshoot by
 * at most what the others took in their last second.
 */
export class BatchedRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly getSql: () => Promise<Sql>) {}

  async hit(rule: RateRule, key: string): Promise<RateDecision> {
    const name = `${rule.name}:${key}`;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = { pending: 0, shared: 0, windowEndsAt: 0, syncedAt: 0, syncing: null };
      this.buckets.set(name, bucket);
    }
    bucket.pending += 1;
    const now = Date.now();
    if (now >= bucket.windowEndsAt) {
      // A new window (or a key not seen yet): learn the shared count before deciding.
      await this.sync(rule, key, bucket);
    } else if (now - bucket.syncedAt >= SYNC_MS) {
      void this.sync(rule, key, bucket).catch(() => {});
    }
    const hits = bucket.shared + bucket.pending;
    const retryAfterSeconds = Math.max(1, Math.ceil((bucket.windowEndsAt - Date.now()) / 1000));
    if (this.buckets.size > 10_000) this.forgetClosedWindows();
    return { allowed: hits <= rule.limit, hits, retryAfterSeconds };
  }

  private sync(rule: RateRule, key: string, bucket: Bucket): Promise<void> {
    bucket.syncing ??= (async () => {
      const delta = bucket.pending;
      bucket.pending = 0;
      try {
        const counted = await withService(await this.getSql(), (tx) => addRateLimitHits(tx, rule, key, delta));
        bucket.shared = counted.hits;
        bucket.windowEndsAt = Date.now() + counted.retryAfterSeconds * 1000;
        bucket.syncedAt = Date.now();
      } catch (error) {
        bucket.pending += delta;
        throw error;
      } finally {
        bucket.syncing = null;
      }
    })();
    return bucket.syncing;
  }

  private forgetClosedWindows(): void {
    const now = Date.now();
    for (const [name, bucket] of this.buckets) {
      if (bucket.windowEndsAt < now && bucket.pending === 0 && !bucket.syncing) this.buckets.delete(name);
    }
  }
}
