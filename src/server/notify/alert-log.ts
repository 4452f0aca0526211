import type { Db } from "../db/sql";
import { type AlertToRender, alertToRenderFrom, slackMessageFor } from "./deliver";

export type AlertChannel = "job_slack" | "workspace_slack" | null;

/** What became of an alert, as the alert log shows it. */
export type AlertState =
  | { kind: "sent"; at: Date }
  | { kind: "waiting" }
  | { kind: "retrying"; error: string }
  | { kind: "failed"; error: string | null }
  | { kind: "skipped" }
  | { kind: "held"; window: string | null; until: Date | null }
  | { kind: "suppressed"; window: string | null }
  | { kind: "folded"; agent: string | null; agentIncidentId: string };

type AlertLogRow = AlertToRender & {
  status: string;
  last_error: string | null;
  sent_at: Date | null;
  channel: AlertChannel;
  window_title: string | null;
  folded_agent_name: string | null;
};

export type AlertLogEntry = {
  id: string;
  kind: AlertToRender["kind"];
  createdAt: Date;
  jobId: string | null;
  jobTitle: string | null;
  /** What went to Slack, or would have: the same builder the deliverer uses. */
  text: string;
  channel: AlertChannel;
  state: AlertState;
};

/** The state of one alert row: pure, so every status is tested as data. */
export function alertStateOf(row: Pick<AlertLogRow, "status" | "last_error" | "sent_at" | "window_title" | "held_until" | "folded_agent_name" | "agent_incident_id">): AlertState {
  switch (row.status) {
    case "sent":
      return { kind: "sent", at: row.sent_at! };
    case "pending":
      return row.last_error ? { kind: "retrying", error: row.last_error } : { kind: "waiting" };
    case "failed":
      return { kind: "failed", error: row.last_error };
    case "held":
      return { kind: "held", window: row.window_title, until: row.held_until };
    case "suppressed":
      return { kind: "suppressed", window: row.window_title };
    case "folded":
      return { kind: "folded", agent: row.folded_agent_name, agentIncidentId: row.agent_incident_id! };
    default:
      return { kind: "skipped" };
  }
}

export type AlertLogScope = { jobId: string } | { incidentId: string } | { agentIncidentId: string };

/**
 * The alerts of a job, a job incident or an agent incident, newest first, each with what it said
 * and what became of it. Read as the user, under RLS; the webhook itself is never read.
 */
export async function listAlertLog(db: Db, p: { workspaceId: string; scope: AlertLogScope; limit: number }): Promise<AlertLogEntry[]> {
  const jobId = "jobId" in p.scope ? p.scope.jobId : null;
  const incidentId = "incidentId" in p.scope ? p.scope.incidentId : null;
  const agentIncidentId = "agentIncidentId" in p.scope ? p.scope.agentIncidentId : null;
  const rows = await db<AlertLogRow[]>`
    with leased as (
      select * from alerts
      where workspace_id = ${p.workspaceId}
        and (job_id = ${jobId}::uuid or incident_id = ${incidentId}::uuid or agent_incident_id = ${agentIncidentId}::uuid)
      order by created_at desc, id desc
      limit ${p.limit}
    )
    select r.*, x.status, x.last_error, x.sent_at, x.channel, mw.title as window_title, fa.name as folded_agent_name
    from (${alertToRenderFrom(db)}) r
    join leased x on x.id = r.id
    left join maintenance_windows mw on mw.id = x.maintenance_window_id
    left join agent_incidents fi on fi.id = x.agent_incident_id and x.status = 'folded'
    left join agents fa on fa.id = fi.agent_id
    order by r.created_at desc, r.id desc`;
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    createdAt: row.created_at,
    jobId: row.job_id,
    jobTitle: row.job_title,
    text: slackMessageFor(row).text,
    channel: row.channel,
    state: alertStateOf(row),
  }));
}

/**
 * When Slack began refusing this workspace's alerts, if it has for over ten minutes and still
 * does; else null. A refusal is an alert waiting to be retried after an error, or one given up
 * on (its last attempt is when its lease began).
 */
export async function slackRefusingSince(db: Db, workspaceId: string): Promise<Date | null> {
  const [row] = await db<{ since: Date | null; is_recent: boolean }[]>`
    with refused as (
      select created_at, status, next_attempt_at from alerts
      where workspace_id = ${workspaceId}
        and ((status = 'pending' and last_error is not null)
             or (status = 'failed' and channel is not null and next_attempt_at > now() - interval '1 hour'))
    )
    select min(created_at) as since,
           coalesce(bool_or(status = 'pending' or next_attempt_at > now() - interval '10 minutes'), false) as is_recent
    from refused`;
  if (!row?.since || !row.is_recent) return null;
  return row.since.getTime() < Date.now() - 10 * 60_000 ? row.since : null;
}
