import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { maintenanceAt, type MaintenanceWindow } from "./windows";

/** What the outbox does with an alert, given the maintenance windows of its job. */
export type HoldVerdict =
  | { action: "send" }
  /** Wait for the window to end; it goes then only if its incident is still open. */
  | { action: "hold"; windowId: string; until: Date }
  | { action: "suppress"; windowId: string | null };

export type AlertForHold = {
  kind: string;
  workspace_id: string;
  job_id: string;
  incident_id: string | null;
  /** When what it tells of happened: a missed run's due time, a run's end, or when it was written. */
  moment: Date;
  /** Set once it was held: then it is judged by the time now, so a window right after holds it again. */
  held_until: Date | null;
  /** Its incident's news was held or suppressed: nobody was told it failed. */
  incident_was_held: boolean;
};

/**
 * Failures and misses inside a window are recorded but not told. An alert about an incident is
 * held until the window ends (the incident may still be open then); one without an incident (a
 * success, a duration rule, every run's news) is simply not sent. A recovery of an incident
 * nobody heard of is not news either.
 */
export function maintenanceVerdict(alert: AlertForHold, windows: MaintenanceWindow[], now: Date): HoldVerdict {
  if (alert.kind === "recovery") return alert.incident_was_held ? { action: "suppress", windowId: null } : { action: "send" };
  const occurrence = maintenanceAt(windows, { workspaceId: alert.workspace_id, jobId: alert.job_id }, alert.held_until ? now : alert.moment);
  if (!occurrence) return { action: "send" };
  if (alert.incident_id && alert.kind !== "success" && alert.kind !== "duration") {
    return { action: "hold", windowId: occurrence.window.id, until: occurrence.end };
  }
  return { action: "suppress", windowId: occurrence.window.id };
}

/** The windows of these workspaces, for one batch of alerts. */
export async function windowsOf(sql: Sql, workspaceIds: string[]): Promise<MaintenanceWindow[]> {
  if (workspaceIds.length === 0) return [];
  return withService(sql, (tx) => tx<MaintenanceWindow[]>`
    select id, workspace_id, job_id, title, starts_at, ends_at, cron, timezone, duration_minutes
    from maintenance_windows where workspace_id = any(${[...new Set(workspaceIds)]}::uuid[])`);
}

export async function settleHeld(sql: Sql, alertId: string, verdict: Exclude<HoldVerdict, { action: "send" }>): Promise<void> {
  await withService(sql, (tx) => tx`
    update alerts set status = ${verdict.action === "hold" ? "held" : "suppressed"},
           -- Holding is not a failed send: the lease's count is given back.
           attempts = greatest(0, attempts - 1),
           maintenance_window_id = coalesce(${verdict.windowId}::uuid, maintenance_window_id),
           held_until = ${verdict.action === "hold" ? verdict.until : null}::timestamptz
    where id = ${alertId}`);
}
