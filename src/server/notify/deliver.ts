import { getEnv } from "@/lib/env";
import { agentLeaseSeconds, foldAlert, foldTargetsOf } from "../agent-offline/incidents";
import type { Db, Sql } from "../db/sql";
import { withService } from "../db/transactions";
import type { IncidentKind } from "../incidents/transitions";
import { type AlertForHold, maintenanceVerdict, settleHeld, windowsOf } from "../maintenance/hold";
import { buildSlackMessage, type DurationRule, type FailureStatus, type NotifyEvent } from "./messages";
import { buildAgentSlackMessage, type FoldedAlert } from "./agent-messages";
import { sendToSlack, type SlackMessage } from "./send";

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

/** An alert with what its message is made of: what is sent, and what the alert log shows. */
export type AlertToRender = {
  id: string;
  workspace_id: string;
  /** Null for an agent's own alerts (agent_offline, agent_recovery). */
  job_id: string | null;
  run_id: string | null;
  kind: NotifyEvent["kind"] | "agent_offline" | "agent_recovery";
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
    last_seen_at?: string;
  };
  attempts: number;
  created_at: Date;
  job_title: string | null;
  job_key: string | null;
  job_kind: string | null;
  duration_ms: number | null;
  exit_code: number | null;
  message: string | null;
  stderr_tail: string | null;
  failure_count: number | null;
  incident_kind: IncidentKind | null;
  incident_opened_at: Date | null;
  incident_resolved_at: Date | null;
  agent_incident_id: string | null;
  agent_id: string | null;
  agent_name: string | null;
  agent_host: string | null;
  agent_offline_ms: number | null;
  /** For an agent's recovery: what was folded into its incident. */
  folded: FoldedAlert[] | null;
} & Omit<AlertForHold, "job_id">;

type ClaimedAlert = AlertToRender & { webhook_url: string | null; is_job_webhook: boolean };

/**
 * What an alert's message is made of, from `leased l` (the alerts at hand): one list for the
 * deliverer and the alert log, so the log shows what was, or would be, sent.
 */
export function alertToRenderFrom(db: Db) {
  return db`
    select l.id, l.workspace_id, l.job_id, l.run_id, l.kind, l.detail, l.attempts, l.incident_id, l.held_until, l.created_at,
           coalesce((l.detail->>'due_at')::timestamptz, r.finished_at, l.created_at) as moment,
           exists (select 1 from alerts h where h.incident_id = l.incident_id and h.status in ('held', 'suppressed')) as incident_was_held,
           j.title as job_title, j.job_key, j.kind as job_kind,
           r.duration_ms, r.exit_code, coalesce(r.message, i.last_message) as message, r.stderr_tail,
           i.failure_count, i.kind as incident_kind, i.opened_at as incident_opened_at, i.resolved_at as incident_resolved_at,
           l.agent_incident_id, ag.id as agent_id, ag.name as agent_name, ag.host as agent_host,
           (extract(epoch from coalesce(ai.resolved_at, now()) - coalesce(ai.last_seen_at, ai.opened_at)) * 1000)::bigint as agent_offline_ms,
           case when l.kind = 'agent_recovery' then coalesce((
             select json_agg(json_build_object('jobTitle', fj.title, 'kind', f.kind, 'status', f.detail->>'status') order by f.created_at)
             from alerts f join jobs fj on fj.id = f.job_id
             where f.agent_incident_id = l.agent_incident_id and f.workspace_id = l.workspace_id and f.status = 'folded'), '[]') end as folded
    from leased l
    left join jobs j on j.id = l.job_id and j.workspace_id = l.workspace_id
    left join runs r on r.id = l.run_id
    left join incidents i on i.id = l.incident_id
    left join agent_incidents ai on ai.id = l.agent_incident_id and ai.workspace_id = l.workspace_id
    left join agents ag on ag.id = ai.agent_id`;
}

/**
 * Leases the next pending alerts, oldest first. An alert waits while an older one for the same
 * job (or agent incident) is still pending, so Slack hears "failed" before "recovered" whatever
 * was retried. One never tried is due as soon as it is written; a tried one at its next attempt,
 * on `clock`.
 */
async function claimAlerts(sql: Sql, clock: Date | null): Promise<ClaimedAlert[]> {
  return withService(sql, (tx) => tx<ClaimedAlert[]>`
    with next as (
      select a.id from alerts a
      where a.status = 'pending' and (a.attempts = 0 or a.next_attempt_at <= coalesce(${clock}::timestamptz, now()))
        and not exists (
          select 1 from alerts e
          where (e.job_id = a.job_id or e.agent_incident_id = a.agent_incident_id)
            and e.status = 'pending' and (e.created_at, e.id) < (a.created_at, a.id))
      order by a.created_at, a.id
      limit ${BATCH}
      for update of a skip locked
    ), leased as (
      update alerts a set attempts = a.attempts + 1, next_attempt_at = coalesce(${clock}::timestamptz, now()) + make_interval(secs => ${LEASE_SECONDS})
      from next where a.id = next.id
      returning a.*
    )
    select a.*, coalesce(js.slack_webhook_url, ws.slack_webhook_url) as webhook_url, js.slack_webhook_url is not null as is_job_webhook
    from (${alertToRenderFrom(tx)}) a
    left join job_secrets js on js.job_id = a.job_id
    left join workspace_secrets ws on ws.workspace_id = a.workspace_id
    order by a.created_at, a.id`);
}

function linkFor(alert: AlertToRender): string | null {
  const base = getEnv().APP_URL;
  if (!base) return null;
  const path = alert.run_id ? `/runs/${alert.run_id}` : alert.job_id ? `/jobs/${alert.job_id}` : `/incidents/agent/${alert.agent_incident_id}`;
  return new URL(path, base).toString();
}

/** The event as Slack should hear it now: an opened incident says how many failures it holds. */
function eventOf(alert: AlertToRender & { kind: NotifyEvent["kind"] }): NotifyEvent {
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

/** The Slack message of an alert, as it is sent now (or would have been). */
export function slackMessageFor(alert: AlertToRender): SlackMessage {
  if (alert.kind === "agent_offline" || alert.kind === "agent_recovery") {
    const agent = { agentName: alert.agent_name ?? "?", host: alert.agent_host, agentUrl: linkFor(alert) };
    return alert.kind === "agent_offline"
      ? buildAgentSlackMessage({ kind: "agent_offline", lastSeenAt: alert.detail.last_seen_at ? new Date(alert.detail.last_seen_at) : null }, agent)
      : buildAgentSlackMessage({ kind: "agent_recovery", offlineMs: alert.agent_offline_ms == null ? null : Number(alert.agent_offline_ms), folded: alert.folded ?? [] }, agent);
  }
  return buildSlackMessage(eventOf({ ...alert, kind: alert.kind }), {
    jobTitle: alert.job_title ?? "",
    jobKey: alert.job_key ?? "",
    durationMs: alert.duration_ms,
    exitCode: alert.exit_code,
    jobKind: alert.job_kind ?? undefined,
    message: alert.message,
    stderrTail: alert.stderr_tail,
    runUrl: linkFor(alert),
    note: alert.held_until ? "Held during a maintenance window, and still open now that it has ended." : null,
  });
}

type Settled = { status: "sent" | "skipped" | "failed" | "pending"; error?: string; retryInSeconds?: number; channel?: "job_slack" | "workspace_slack" };

async function settle(sql: Sql, id: string, clock: Date | null, outcome: Settled) {
  await withService(sql, (tx) => tx`
    update alerts set
      status = ${outcome.status},
      channel = coalesce(${outcome.channel ?? null}, channel),
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
  const answer = await sendToSlack(alert.webhook_url, slackMessageFor(alert), { attempts: 1, timeoutMs: SLACK_TIMEOUT_MS });
  const channel = alert.is_job_webhook ? "job_slack" : "workspace_slack";
  if (answer.ok) {
    await settle(sql, alert.id, clock, { status: "sent", channel });
    return "sent";
  }
  console.warn(`Slack alert ${alert.id} not delivered (attempt ${alert.attempts}): ${answer.error}`);
  if (answer.isPermanent || alert.attempts >= MAX_ATTEMPTS) {
    await settle(sql, alert.id, clock, { status: "failed", error: answer.error, channel });
    return "failed";
  }
  await settle(sql, alert.id, clock, { status: "pending", error: answer.error, retryInSeconds: alertRetryDelaySeconds(alert.attempts), channel });
  return "retry";
}

/** `held` counts alerts kept back by a maintenance window (held or suppressed); `folded`, those recorded on an agent incident. */
export type DeliveryResult = { sent: number; skipped: number; retrying: number; failed: number; held: number; folded: number; nextAttemptAt: Date | null };

/**
 * Delivers every pending alert that is due, in order, until none is left to take. Never
 * throws for Slack: a failed send is retried later with backoff. Answers when the next retry
 * is due, so an in-process notifier can come back then. `now` runs it on another clock (tests,
 * the alert simulator): maintenance, leases and retries are judged by it; the database's otherwise.
 */
export async function deliverPendingAlerts(sql: Sql, options: { now?: Date } = {}): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, skipped: 0, retrying: 0, failed: 0, held: 0, folded: 0, nextAttemptAt: null };
  const clock = options.now ?? null;
  const leaseSeconds = agentLeaseSeconds();
  for (;;) {
    const batch = await claimAlerts(sql, clock);
    if (batch.length === 0) break;
    const windows = await windowsOf(sql, batch.map((alert) => alert.workspace_id));
    const folds = await foldTargetsOf(sql, batch.map((alert) => alert.id), leaseSeconds);
    for (const alert of batch) {
      const fold = folds.get(alert.id);
      if (fold) {
        await foldAlert(sql, fold, leaseSeconds);
        result.folded++;
        continue;
      }
      // An agent's own alert has no job: only a window over the whole workspace holds it.
      const verdict = maintenanceVerdict({ ...alert, job_id: alert.job_id ?? "" }, windows, options.now ?? new Date());
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
