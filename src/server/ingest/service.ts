import type { Sql } from "../db/sql";
import type { Tx } from "../db/transactions";
import { AppError } from "../errors";
import { alertsQueued } from "../notify/notifier";
import { callIngestReports, reportGroups, type IngestItem, type IngestOutcome } from "./groups";
import { REPORT_LIMITS } from "./limits";
import type { Report } from "./schemas";
import { headChars, tailBytes } from "./truncate";

export type IngestResult = {
  /** Where the report went, so a reporter can see it: the workspace's slug. */
  workspaceSlug: string;
  jobId: string;
  jobKey: string;
  runId: string | null;
  /** The report repeated one already recorded (or came after its run finished): nothing changed. */
  isDuplicate: boolean;
  /** Fields cut to the documented limits. */
  truncated: string[];
  /** The report wrote an alert, to deliver once the transaction has committed. */
  alertQueued: boolean;
};

type Clean = {
  title: string | null;
  message: string | null;
  stderr: string | null;
  log: string | null;
  host: string | null;
  tags: string[] | null;
  stages: string[] | null;
  stage: string | null;
  toolId: string | null;
  truncated: string[];
};

/** Applies the documented limits, noting every field that had to be cut. */
function clean(report: Report): Clean {
  const truncated: string[] = [];
  const head = (field: string, value: string | null | undefined, max: number) => {
    if (value == null) return null;
    const clipped = headChars(value, max);
    if (clipped.truncated) truncated.push(field);
    return clipped.value;
  };
  const tail = (field: string, value: string | null | undefined) => {
    if (value == null) return null;
    const clipped = tailBytes(value, REPORT_LIMITS.tailBytes);
    if (clipped.truncated) truncated.push(field);
    return clipped.value;
  };
  const list = (field: string, values: string[] | null | undefined, maxItems: number, maxChars: number) => {
    if (values == null) return null;
    const kept = values.slice(0, maxItems).map((value) => headChars(value, maxChars));
    if (values.length > maxItems || kept.some((value) => value.truncated)) truncated.push(field);
    return kept.map((value) => value.value);
  };
  return {
    title: head("title", report.title?.trim() || null, REPORT_LIMITS.titleChars),
    message: head("message", report.message, REPORT_LIMITS.messageChars),
    stderr: tail("stderr", report.stderr),
    log: tail("log", report.log),
    host: head("host", report.host, REPORT_LIMITS.hostChars),
    tags: list("tags", report.tags, REPORT_LIMITS.tags, REPORT_LIMITS.tagChars),
    stages: list("stages", report.stages, REPORT_LIMITS.stages, REPORT_LIMITS.stageChars),
    stage: head("stage", report.stage, REPORT_LIMITS.stageChars),
    toolId: head("tool_id", report.tool_id, REPORT_LIMITS.jobKeyChars),
    truncated,
  };
}

export type IngestOptions = {
  workspaceId: string;
  report: Report;
  now?: Date;
  /** How many jobs reports may create in the workspace (JOBBOARD_MAX_REPORTED_JOBS). */
  maxReportedJobs?: number;
  /** Jobboard itself records how a run it dispatched ended (an agent's finish), not a reporter. */
  isFromJobboard?: boolean;
};

/** The report as the database function takes it: validated, cut to the limits, in JSON. */
export function reportPayload(report: Report): { payload: Record<string, unknown>; truncated: string[] } {
  const { truncated, toolId, ...values } = clean(report);
  return {
    truncated,
    payload: {
      ...report,
      ...values,
      tool_id: toolId,
      job_key: report.job_key,
      event: report.event,
    },
  };
}

/**
 * Records one report inside the caller's transaction: the job (created on first report), the run
 * (paired with its start by `run_id`), the job's latest-run pointer, its incidents and its alert.
 */
export async function ingestReportIn(tx: Tx, p: IngestOptions): Promise<IngestResult> {
  const { payload, truncated } = reportPayload(p.report);
  for (;;) {
    const [outcome] = await callIngestReports(tx, [itemFor(p, payload)]);
    if (outcome && "retry" in outcome) continue;
    return resultOf(outcome!, p.report.job_key, truncated);
  }
}

/** ingestReportIn in a call of its own, grouped with the reports arriving alongside it; alerts go out after commit. */
export async function ingestReport(sql: Sql, p: IngestOptions): Promise<IngestResult> {
  const { payload, truncated } = reportPayload(p.report);
  const outcome = await reportGroups(sql).submit(itemFor(p, payload));
  const result = resultOf(outcome, p.report.job_key, truncated);
  if (result.alertQueued) alertsQueued(sql);
  return result;
}

function itemFor(p: IngestOptions, payload: Record<string, unknown>): IngestItem {
  return {
    auth: { workspace_id: p.workspaceId },
    report: payload,
    now: (p.now ?? new Date()).toISOString(),
    max_reported_jobs: p.maxReportedJobs ?? REPORT_LIMITS.reportedJobsPerWorkspace,
    from_jobboard: p.isFromJobboard ?? false,
  };
}

/** What a recorded outcome means to a caller that has already authenticated: a result, or the AppError it was refused with. */
export function resultOf(outcome: IngestOutcome, jobKey: string, truncated: string[]): IngestResult {
  if ("rejected" in outcome) {
    throw new AppError(outcome.rejected === 409 ? "conflict" : "forbidden", "ingest.refused", { field: outcome.field ?? undefined, params: { reason: outcome.error } });
  }
  if (!("run_id" in outcome)) throw new Error(`report not recorded: ${JSON.stringify(outcome)}`);
  return {
    workspaceSlug: outcome.workspace_slug,
    jobId: outcome.job_id,
    jobKey,
    runId: outcome.run_id,
    isDuplicate: outcome.duplicate,
    truncated,
    alertQueued: outcome.alert_queued,
  };
}
