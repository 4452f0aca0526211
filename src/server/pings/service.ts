import { randomUUID } from "node:crypto";
import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import type { ReporterConfig } from "../ingest/authenticate";
import { reportGroups, type IngestOutcome, type IngestSender } from "../ingest/groups";
import { hashIngestKey, parseIngestKey, secretsEqual } from "../ingest/keys";
import { REPORT_LIMITS } from "../ingest/limits";
import { parseReport } from "../ingest/schemas";
import { reportPayload } from "../ingest/service";
import { headChars, tailBytes } from "../ingest/truncate";
import { alertsQueued } from "../notify/notifier";
import type { PingAction, PingTarget } from "./url";

/** A ping body keeps its last this-many bytes (sent as `Ping-Body-Limit`), as a report's log does. */
export const PING_BODY_LIMIT = REPORT_LIMITS.tailBytes;

/** Start pings without a rid get one of these, so the end that follows can find its start. */
const GENERATED_RID = "ping:";

/** The job a ping names; jobId is null for one that does not exist yet. Reports carry its title unchanged. */
export type PingJob = { workspaceId: string; jobKey: string; jobId: string | null; title: string; kind: string | null };

export type PingAnswer =
  | { status: 200 | 201; text: "OK" | "Created" }
  | { status: 400 | 401 | 403 | 404 | 409 | 500; text: string };

const NOT_FOUND = { status: 404, text: "not found" } as const;

function senderFor(pingKey: string, config: ReporterConfig): IngestSender | null {
  const prefix = parseIngestKey(pingKey);
  if (prefix) return { key: { prefix, hash: hashIngestKey(pingKey) } };
  if (config.webhookSecret && secretsEqual(pingKey, config.webhookSecret)) return { workspace: { slug: config.defaultWorkspace ?? null } };
  return null;
}

type JobRow = { id: string; workspace_id: string; job_key: string; title: string; kind: string };

async function findJob(sql: Sql, where: { pingUuid: string } | { workspaceId: string; jobKey: string }) {
  const [job] = await withService(sql, (tx) =>
    "pingUuid" in where
      ? tx<JobRow[]>`
          select j.id, j.workspace_id, j.job_key, j.title, j.kind
          from job_ping_urls p join jobs j on j.id = p.job_id where p.ping_uuid = ${where.pingUuid}`
      : tx<JobRow[]>`
          select id, workspace_id, job_key, title, kind from jobs where workspace_id = ${where.workspaceId} and job_key = ${where.jobKey}`,
  );
  return job;
}

/**
 * The job a ping is for. A UUID names it alone. A ping key is authenticated as a report key (or
 * the shared secret) first; its slug is the job key, unknown unless `create` asks for the job.
 * A key that is not one of ours is "not found", as Healthchecks answers an unknown ping key.
 */
export async function resolvePingJob(
  sql: Sql,
  target: PingTarget,
  config: ReporterConfig,
): Promise<PingJob | { refused: PingAnswer }> {
  if ("uuid" in target) {
    const job = await findJob(sql, { pingUuid: target.uuid });
    return job ? { workspaceId: job.workspace_id, jobKey: job.job_key, jobId: job.id, title: job.title, kind: job.kind } : { refused: NOT_FOUND };
  }
  const sender = senderFor(target.pingKey, config);
  if (!sender) return { refused: NOT_FOUND };
  const outcome = await reportGroups(sql).submit({ auth: sender, report: null, now: new Date().toISOString(), max_reported_jobs: 0 });
  if ("refused" in outcome) return { refused: outcome.refused === 500 ? { status: 500, text: outcome.error } : NOT_FOUND };
  if (!("workspace_id" in outcome)) return { refused: { status: 500, text: "internal error" } };
  const job = await findJob(sql, { workspaceId: outcome.workspace_id, jobKey: target.slug });
  return { workspaceId: outcome.workspace_id, jobKey: target.slug, jobId: job?.id ?? null, title: job?.title ?? target.slug, kind: job?.kind ?? null };
}

/** The job's ping UUID, for the people allowed to see it (operators and above: it lets its holder report). */
export async function jobPingUuid(sql: Sql, jobId: string): Promise<string | null> {
  const [row] = await withService(sql, (tx) => tx<{ ping_uuid: string }[]>`select ping_uuid from job_ping_urls where job_id = ${jobId}`);
  return row?.ping_uuid ?? null;
}

/** The run an end (or a log) without a rid belongs to: the newest one still running that a ping or report started. */
async function openRun(sql: Sql, jobId: string): Promise<{ id: string; external_id: string | null } | undefined> {
  const [run] = await withService(sql, (tx) => tx<{ id: string; external_id: string | null }[]>`
    select id, external_id from runs
    where job_id = ${jobId} and status = 'running' and trigger = 'report'
    order by started_at desc nulls last, id desc
    limit 1`);
  return run;
}

/** The last line of output that says something, for the run's message and Slack's alert. */
function lastLine(body: string): string | null {
  const line = body.split(/\r?\n/).map((text) => text.trim()).filter(Boolean).at(-1);
  return line ? headChars(line, REPORT_LIMITS.messageChars).value : null;
}

/** Appends a /log ping's body to the run it pairs with, or else the job's latest run; nothing else changes. */
async function recordLog(sql: Sql, job: PingJob & { jobId: string }, rid: string | null, body: string): Promise<void> {
  if (!body) return;
  await withService(sql, async (tx) => {
    const [run] = rid
      ? await tx<{ id: string }[]>`select id from runs where job_id = ${job.jobId} and external_id = ${rid}`
      : await tx<{ id: string }[]>`
          select coalesce(
            (select id from runs where job_id = ${job.jobId} and status = 'running' and trigger = 'report'
             order by started_at desc nulls last, id desc limit 1),
            (select last_run_id from jobs where id = ${job.jobId})) as id`;
    if (!run?.id) return;
    const [current] = await tx<{ log: string | null }[]>`select log from runs where id = ${run.id} for update`;
    const joined = current?.log ? `${current.log}\n${body}` : body;
    await tx`update runs set log = ${tailBytes(joined, PING_BODY_LIMIT).value} where id = ${run.id}`;
  });
}

function answerOf(outcome: IngestOutcome, created: boolean): PingAnswer {
  if ("run_id" in outcome) return created ? { status: 201, text: "Created" } : { status: 200, text: "OK" };
  if ("rejected" in outcome) return { status: outcome.rejected, text: outcome.error };
  if ("refused" in outcome) return { status: outcome.refused, text: outcome.error };
  return { status: 500, text: "internal error" };
}

/**
 * Records a ping as the report it stands for: a start, a success, a failure (`/fail`, or a
 * non-zero exit status), or a log line. The body is the run's log (its tail) and its last line
 * the run's message. An end without a rid closes the newest open start, as in Healthchecks.
 */
export async function recordPing(
  sql: Sql,
  p: { job: PingJob; action: PingAction; rid: string | null; body: string; create: boolean; maxReportedJobs: number; now?: Date },
): Promise<PingAnswer> {
  const { job, action, body } = p;
  const now = p.now ?? new Date();
  const created = job.jobId === null;
  if (created && !p.create) return NOT_FOUND;
  if (action.kind === "log") {
    // The same refusal a report gets: the runs of a job Jobboard runs are its own to write.
    if (job.kind === "http" || job.kind === "task") {
      return { status: 409, text: `job_key ${job.jobKey} is run by Jobboard (${job.kind}); reports cannot change it` };
    }
    if (job.jobId) await recordLog(sql, { ...job, jobId: job.jobId }, p.rid, body);
    return created ? NOT_FOUND : { status: 200, text: "OK" };
  }

  let runId = p.rid;
  if (action.kind === "start") runId ??= `${GENERATED_RID}${randomUUID()}`;
  else if (!runId && job.jobId) runId = (await openRun(sql, job.jobId))?.external_id ?? null;

  const failed = action.kind === "fail" || (action.kind === "exit" && action.code !== 0);
  const parsed = parseReport({
    job_key: job.jobKey,
    title: job.title,
    event: action.kind === "start" ? "start" : "finish",
    ...(action.kind === "start" ? { started_at: now.toISOString() } : { status: failed ? "error" : "success", finished_at: now.toISOString() }),
    ...(runId ? { run_id: runId } : {}),
    ...(action.kind === "exit" ? { exit_code: action.code } : {}),
    message: lastLine(body) ?? (action.kind === "exit" && action.code !== 0 ? `exited with code ${action.code}` : null),
    ...(body ? { log: body } : {}),
  });
  if (!("report" in parsed)) return { status: 400, text: parsed.problem.error };
  const outcome = await reportGroups(sql).submit({
    auth: { workspace_id: job.workspaceId },
    report: reportPayload(parsed.report).payload,
    now: now.toISOString(),
    max_reported_jobs: p.maxReportedJobs,
  });
  if ("alert_queued" in outcome && outcome.alert_queued) alertsQueued(sql);
  return answerOf(outcome, created);
}
