import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";

/**
 * The tick's step for the outbox: alerts held for a maintenance window that has ended go out
 * if their incident is still open, and are dropped if it resolved meanwhile. Answers how many
 * went back to the outbox.
 */
export async function releaseHeldAlerts(sql: Sql, now: Date): Promise<number> {
  const released = await withService(sql, (tx) => tx<{ status: string }[]>`
    update alerts a set
      status = case when exists (select 1 from incidents i where i.id = a.incident_id and i.resolved_at is null)
                    then 'pending' else 'suppressed' end,
      next_attempt_at = now()
    where a.status = 'held' and a.held_until <= ${now}
    returning a.status`);
  return released.filter((row) => row.status === "pending").length;
}
