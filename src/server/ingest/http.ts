import { parseCleanJson } from "@/lib/clean-text";
import type { Sql } from "../db/sql";
import { isDatabaseUnavailable } from "../db/errors";
import { readBodyBytes } from "../http/body";
import { databaseUnavailableReply, errorReply, jsonReply, methodNotAllowedReply as methodNotAllowedOf, toResponse, type Reply, type RequestHeaders } from "../http/reply";
import { alertsQueued } from "../notify/notifier";
import { keyRetryAfter } from "../rate-limit/http";
import { tooManyRequestsReply } from "../rate-limit/limiter";
import { reportsPerKey } from "../rate-limit/rules";
import { reportSender, type ReporterConfig } from "./authenticate";
import { reportGroups } from "./groups";
import { REPORT_LIMITS } from "./limits";
import { parseReport } from "./schemas";
import { reportPayload, resultOf } from "./service";

export type ReportHandlerDeps = ReporterConfig & {
  getSql: () => Promise<Sql>;
  /** Jobs reports may create per workspace; REPORT_LIMITS' default when absent. */
  maxReportedJobs?: number;
  /** Told after commit when the report queued an alert; the process's notifier by default. */
  onAlertsQueued?: (sql: Sql) => void;
};

/** What the handler reads of a request, whichever server received it. */
export type ReportRequest = { headers: RequestHeaders; readBody(limit: number): Promise<Buffer | null> };

function isJsonContentType(value: string | null): boolean {
  const type = value?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" || Boolean(type?.endsWith("+json"));
}

/**
 * The body as a JSON object, or undefined when it is not valid JSON or not an object. Its text is
 * cleaned as it is parsed: a stray NUL or half an emoji in a log must not cost the report.
 */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = parseCleanJson(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /api/monitor/job-report: validate, authenticate, record in one call to the database (shared
 * with the reports arriving at the same moment), answer. Every refusal is JSON `{error, field?}`;
 * only an unreachable database answers 5xx (503).
 */
export async function answerJobReport(request: ReportRequest, deps: ReportHandlerDeps): Promise<Reply> {
  const retryAfter = await keyRetryAfter(request.headers, deps.getSql, reportsPerKey());
  if (retryAfter !== null) return tooManyRequestsReply(retryAfter);
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return errorReply(415, "Content-Type must be application/json", "content-type");
  }
  const text = (await request.readBody(REPORT_LIMITS.bodyBytes))?.toString("utf8") ?? null;
  if (text === null) return errorReply(413, `Request body must be at most ${REPORT_LIMITS.bodyBytes} bytes`);

  const sender = reportSender(request.headers, deps);
  if ("status" in sender) return errorReply(sender.status, sender.error);
  const body = parseJsonObject(text);
  const parsed = body === undefined ? { problem: { error: "Invalid JSON body" } as const } : parseReport(body);
  const recorded = "problem" in parsed ? null : reportPayload(parsed.report);

  try {
    const sql = await deps.getSql();
    // The secret is checked before the body is looked at, as seed 003 does: a refused body is
    // still sent, to be authenticated only.
    const outcome = await reportGroups(sql).submit({
      auth: sender,
      report: recorded?.payload ?? null,
      now: new Date().toISOString(),
      max_reported_jobs: deps.maxReportedJobs ?? REPORT_LIMITS.reportedJobsPerWorkspace,
    });
    if ("refused" in outcome) return errorReply(outcome.refused, outcome.error);
    if ("problem" in parsed) return errorReply(400, parsed.problem.error, "field" in parsed.problem ? parsed.problem.field : undefined);
    if ("rejected" in outcome) return errorReply(outcome.rejected, outcome.error, outcome.field ?? undefined);
    if (!("run_id" in outcome)) {
      console.error("job report failed", "failed" in outcome ? `${outcome.failed}: ${outcome.error}` : "retried out");
      return errorReply(500, "Internal error while recording the report");
    }
    const result = resultOf(outcome, parsed.report.job_key, recorded!.truncated);
    // After commit, and without waiting: Slack never slows or fails a report.
    if (result.alertQueued) (deps.onAlertsQueued ?? alertsQueued)(sql);
    return jsonReply(200, {
      success: true,
      workspace: result.workspaceSlug,
      id: result.jobId,
      job_key: result.jobKey,
      run_id: result.runId,
      duplicate: result.isDuplicate,
      ...(result.truncated.length > 0 ? { truncated: result.truncated } : {}),
    });
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      return databaseUnavailableReply();
    }
    console.error("job report failed", error);
    return errorReply(500, "Internal error while recording the report");
  }
}

/** answerJobReport for a Fetch request: the route tests' entry, the same handler. */
export async function handleJobReport(request: Request, deps: ReportHandlerDeps): Promise<Response> {
  return toResponse(await answerJobReport({ headers: request.headers, readBody: (limit) => readBodyBytes(request, limit) }, deps));
}

export const ALLOWED_METHODS = "POST";

export const methodNotAllowedReply = (): Reply => methodNotAllowedOf(ALLOWED_METHODS, "Use POST to send a report");
