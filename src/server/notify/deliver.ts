import { getEnv } from "@/lib/env";
import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import type { IncidentKind } from "../incidents/transitions";
import { type AlertForHold, maintenanceVerdict, settleHeld, windowsOf } from "../maintenance/hold";
import { buildSlackMessage, type DurationRule, type FailureStatus, type NotifyEvent } from "./messages";
import { sendToSlack } from "./send";

// A row being sent is leased for this long: a deliverer that dies mid-send frees it after.
// Longer than a send can take (SLACK_TIMEOUT_MS), short enough that a crash delays little.
const LEASE_SECONDS = 15;
const BATCH = 25;
// After this many failed sends a row is given up on (about four days of retries).
const MAX_ATTEMPTS = 40;
const SLACK_TIMEOUT_MS = 5000;

/** Seconds before retry `attempts` (1 = after the first failure): 5, 10, 20, … capped at 10 minutes. */
export function alertRetryDelaySeconds(attempts: number): number {
  return Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));
}

type ClaimedAlert = {
  id: string;
  workspace_id: string;
  job_id: string;
  run_id: string | null;
  kind: NotifyEvent["kind"];
  detail: {
    status?: FailureStatus;
    due_at?: string;
    /** A missed slot that fell inside Jobboard's own outage: its bounds. */
    outage_from?: string;
    outage_to?: string;
    incident_kind?: IncidentKind;
    opened_at?: string;
    minutes?: number;
    stage?: string | null;
    rule?: DurationRule;
    limit_ms?: number;
    duration_ms?: number;
  };
  attempts: number;
  job_title: string;
  job_key: string;
  job_kind: string;
  webhook_url: string | null;
  duration_ms: number | null;
  exit_code: number | null;
  message: string | null;
  stderr_tail: string | null;
  failure_count: number | null;
  incident_kind: IncidentKind | null;
  incident_opened_at: Date | null;
  incident_resolved_at: Date | null;
} & AlertForHold;

/**
 * Leases the next pending alerts, oldest first. An alert waits while an older one for the same
 * job is still pending, so Slack hears "failed" before "recovered" whatever was retried. One
 * never tried is due as soon as it is written; a tried one at its next attempt, on `clock`.
 */
async function claimAlerts(sql: Sql, clock: Date | null): Promise<ClaimedAlert[]> {
  return withService(sql, (tx) => tx<ClaimedAlert[]>`
    with next as (
      select a.id from alerts a
      where a.status = 'pending' and (a.attempts = 0 or a.next_attempt_at <= coalesce(${clock}::timestamptz, now()))
        and not exists (
          select 1 from alerts e
          where e.job_id = a.job_id and e.status = 'pending' and (e.created_at, e.id) < (a.created_at, a.id))
      order by a.created_at, a.id
      limit ${BATCH}
      for update of a skip locked
    ), leased as (
      update alerts a set attempts = a.attempts + 1, next_attempt_at = coalesce(${clock}::timestamptz, now()) + make_interval(secs => ${LEASE_SECONDS})
      from next where a.id = next.id
      returning a.*
    )
    select l.id, l.workspace_id, l.job_id, l.run_id, l.kind, l.detail, l.attempts, l.incident_id, l.held_until,
           coalesce((l.detail->>'due_at')::timestamptz, r.finished_at, l.created_at) as moment,
           exists (select 1 from alerts h where h.incident_id = l.incident_id and h.status in ('held', 'suppressed')) as incident_was_held,
           j.title as job_title, j.job_key, j.kind as job_kind,
           coalesce(js.slack_webhook_url, ws.slack_webhook_url) as webhook_url,
           r.duration_ms, r.exit_code, coalesce(r.message, i.last_message) as message, r.stderr_tail,
           i.failure_count, i.kind as incident_kind, i.opened_at as incident_opened_at, i.resolved_at as incident_resolved_at
    from leased l
    join jobs j on j.id = l.job_id and j.workspace_id = l.workspace_id
    left join job_secrets js on js.job_id = l.job_id
    left join workspace_secrets ws on ws.workspace_id = l.workspace_id
    left join runs r on r.id = l.run_id
    left join incidents i on i.id = l.incident_id
    order by l.created_at, l.id`);
}

function linkFor(alert: ClaimedAlert): string | null {
  const base = getEnv().APP_URL;
  if (!base) return null;
  return new URL(alert.run_id ? `/runs/${alert.run_id}` : `/jobs/${alert.job_id}`, base).toString();
}

/** The event as Slack should hear it now: an opened incident says how many failures it holds. */
function eventOf(alert: ClaimedAlert): NotifyEvent {
  switch (alert.kind) {
    case "failure":
      return { kind: "failure", status: alert.detail.status ?? "failed", failureCount: alert.failure_count ?? undefined };
    case "recovery":
      return {
        kind: "recovery",
        failureCount: alert.failure_count ?? undefined,
        incidentKind: alert.incident_kind ?? undefined,
        openedAt: alert.incident_opened_at ?? undefined,
        resolvedAt: alert.incident_resolved_at ?? undefined,
      };
    case "missed":
      return {
        kind: "missed",
        dueAt: new Date(alert.detail.due_at ?? Date.now()),
        outage: alert.detail.outage_from && alert.detail.outage_to ? { from: new Date(alert.detail.outage_from), to: new Date(alert.detail.outage_to) } : undefined,
      };
    case "success":
      return { kind: "success" };
    case "stalled":
      return { kind: "stalled", minutes: alert.detail.minutes ?? 0, stage: alert.detail.stage ?? null };
    case "duration":
      return { kind: "duration", rule: alert.detail.rule ?? "over_max", limitMs: alert.detail.limit_ms ?? 0, durationMs: alert.detail.duration_ms ?? 0 };
    case "reminder":
      return {
        kind: "reminder",
        incidentKind: alert.detail.incident_kind ?? "failed",
        openedAt: new Date(alert.detail.opened_at ?? Date.now()),
        failureCount: alert.failure_count ?? undefined,
      };
  }
}

async function settle(sql: Sql, id: string, clock: Date | null, outcome: { status: "sent" | "skipped" | "failed" | "pending"; error?: string; retryInSeconds?: number }) {
  await withService(sql, (tx) => tx`
    update alerts set
      status = ${outcome.status},
      sent_at = case when ${outcome.status} = 'sent' then now() else sent_at end,
      last_error = ${outcome.error?.slice(0, 500) ?? null},
      next_attempt_at = case when ${outcome.status} = 'pending'
                             then coalesce(${clock}::timestamptz, now()) + make_interval(secs => ${outcome.retryInSeconds ?? 0}) else next_attempt_at end
    where id = ${id}`);
}

async function deliverOne(sql: Sql, alert: ClaimedAlert, clock: Date | null): Promise<"sent" | "skipped" | "retry" | "failed"> {
  if (!alert.webhook_url) {
    await settle(sql, alert.id, clock, { status: "skipped", error: "No Slack webhook is set for this job or its workspace" });
    return "skipped";
  }
  const message = buildSlackMessage(eventOf(alert), {
    jobTitle: alert.job_title,
    jobKey: alert.job_key,
    durationMs: alert.duration_ms,
    exitCode: alert.exit_code,
    jobKind: alert.job_kind,
    message: alert.message,
    stderrTail: alert.stderr_tail,
    runUrl: linkFor(alert),
    note: alert.held_until ? "Held during a maintenance window, and still open now that it has ended." : null,
  });
  const answer = await sendToSlack(alert.webhook_url, message, { attempts: 1, timeoutMs: SLACK_TIMEOUT_MS });
  if (answer.ok) {
    await settle(sql, alert.id, clock, { status: "sent" });
    return "sent";
  }
  console.warn(`Slack alert ${alert.id} not delivered (attempt ${alert.attempts}): ${answer.error}`);
  if (answer.isPermanent || alert.attempts >= MAX_ATTEMPTS) {
    await settle(sql, alert.id, clock, { status: "failed", error: answer.error });
    return "failed";
  }
  await settle(sql, alert.id, clock, { status: "pending", error: answer.error, retryInSeconds: alertRetryDelaySeconds(alert.attempts) });
  return "retry";
}

/** `held` counts alerts kept back by a maintenance window (held or suppressed). */
export type DeliveryResult = { sent: number; skipped: number; retrying: number; failed: number; held: number; nextAttemptAt: Date | null };

/**
 * Delivers every pending alert that is due, in order, until none is left to take. Never
 * throws for Slack: a failed send is retried later with backoff. Answers when the next retry
 * is due, so an in-process notifier can come back then. `now` runs it on another clock (tests,
 * the alert simulator): maintenance, leases and retries are judged by it; the database's otherwise.
 */
export async function deliverPendingAlerts(sql: Sql, options: { now?: Date } = {}): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, skipped: 0, retrying: 0, failed: 0, held: 0, nextAttemptAt: null };
  const clock = options.now ?? null;
  for (;;) {
    const batch = await claimAlerts(sql, clock);
    if (batch.length === 0) break;
    const windows = await windowsOf(sql, batch.map((alert) => alert.workspace_id));
    for (const alert of batch) {
      const verdict = maintenanceVerdict(alert, windows, options.now ?? new Date());
      if (verdict.action !== "send") {
        await settleHeld(sql, alert.id, verdict);
        result.held++;
        continue;
      }
      const outcome = await deliverOne(sql, alert, clock);
      if (outcome === "sent") result.sent++;
      else if (outcome === "skipped") result.skipped++;
      else if (outcome === "failed") result.failed++;
      else result.retrying++;
    }
  }
  const [next] = await withService(sql, (tx) => tx<{ at: Date | null }[]>`
    select min(next_attempt_at) as at from alerts where status = 'pending'`);
  result.nextAttemptAt = next?.at ?? null;
  return result;
}
