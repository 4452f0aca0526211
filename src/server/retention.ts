import type { Sql } from "./db/sql";
import { withService } from "./db/transactions";

const BATCH = 500;

/**
 * Drops logs and stderr of runs that finished longer ago than their workspace keeps them
 * (seed 004: 7 days by default). Runs and their status stay. Works in small batches, each its
 * own short transaction, so ingest is never blocked behind it. Answers how many runs it trimmed.
 */
export async function trimOldLogs(sql: Sql, now: Date, batchSize = BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const trimmed = await withService(sql, (tx) => tx<{ id: string }[]>`
      update runs set log = null, stderr_tail = null
      where id in (
        select r.id from runs r join workspaces w on w.id = r.workspace_id
        where r.finished_at < ${now}::timestamptz - make_interval(days => w.retention_days)
          and (r.log is not null or r.stderr_tail is not null)
        limit ${batchSize}
        for update of r skip locked)
      returning id`);
    total += trimmed.length;
    if (trimmed.length < batchSize) return total;
  }
}
