import { getEnv } from "@/lib/env";
import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import type { FinishedRun } from "../execution/store";
import { buildSlackMessage, type NotifyEvent } from "./messages";
import { postToSlack } from "./send";

type JobAlerting = {
  job_title: string;
  job_key: string;
  notify_policy: "failures_and_recoveries" | "every_run" | "never";
  webhook_url: string | null;
};

async function alertingFor(sql: Sql, workspaceId: string, jobId: string): Promise<JobAlerting | undefined> {
  const [row] = await withService(sql, (tx) => tx<JobAlerting[]>`
    select j.title as job_title, j.job_key, j.notify_policy,
           coalesce(js.slack_webhook_url, ws.slack_webhook_url) as webhook_url
    from jobs j
    left join job_secrets js on js.job_id = j.id
    left join workspace_secrets ws on ws.workspace_id = j.workspace_id
    where j.id = ${jobId} and j.workspace_id = ${workspaceId}`);
  return row;
}

function runUrl(runId: string): string | null {
  const base = getEnv().APP_URL;
  return base ? new URL(`/runs/${runId}`, base).toString() : null;
}

/** Which event, if any, a finished run is worth telling Slack about under the job's policy. */
export function eventForFinishedRun(finished: Pick<FinishedRun, "status" | "openedIncidentId" | "resolvedIncidentIds">, policy: JobAlerting["notify_policy"]): NotifyEvent | null {
  if (policy === "never") return null;
  const isFailure = finished.status === "failed" || finished.status === "timed_out";
  if (isFailure && (finished.openedIncidentId || policy === "every_run")) {
    return { kind: "failure", status: finished.status as "failed" | "timed_out" };
  }
  if (finished.status === "succeeded" && finished.resolvedIncidentIds.length > 0) return { kind: "recovery" };
  if (finished.status === "succeeded" && policy === "every_run") return { kind: "success" };
  return null;
}

/** Tells Slack about a finished run (failure, recovery, or every run), per the job's policy. */
export async function notifyRunFinished(sql: Sql, finished: FinishedRun): Promise<boolean> {
  const alerting = await alertingFor(sql, finished.workspaceId, finished.jobId);
  if (!alerting?.webhook_url) return false;
  const event = eventForFinishedRun(finished, alerting.notify_policy);
  if (!event) return false;
  const [run] = await withService(sql, (tx) => tx<{ duration_ms: number | null; exit_code: number | null; message: string | null; stderr_tail: string | null }[]>`
    select duration_ms, exit_code, message, stderr_tail from runs where id = ${finished.runId} and workspace_id = ${finished.workspaceId}`);
  const message = buildSlackMessage(event, {
    jobTitle: alerting.job_title,
    jobKey: alerting.job_key,
    durationMs: run?.duration_ms ?? null,
    exitCode: run?.exit_code ?? null,
    message: run?.message ?? null,
    stderrTail: run?.stderr_tail ?? null,
    runUrl: runUrl(finished.runId),
  });
  return postToSlack(alerting.webhook_url, message);
}

/** Tells Slack that a scheduled job missed its run. */
export async function notifyMissed(sql: Sql, p: { workspaceId: string; jobId: string; dueAt: Date }): Promise<boolean> {
  const alerting = await alertingFor(sql, p.workspaceId, p.jobId);
  if (!alerting?.webhook_url || alerting.notify_policy === "never") return false;
  const message = buildSlackMessage(
    { kind: "missed", dueAt: p.dueAt },
    { jobTitle: alerting.job_title, jobKey: alerting.job_key, durationMs: null, exitCode: null, message: null, stderrTail: null, runUrl: null },
  );
  return postToSlack(alerting.webhook_url, message);
}
