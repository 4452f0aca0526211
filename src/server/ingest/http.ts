import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { isAppError } from "../errors";
import { isDatabaseUnavailable } from "../db/errors";
import { alertsQueued } from "../notify/notifier";
import { limitByKey } from "../rate-limit/http";
import { reportsPerKey } from "../rate-limit/rules";
import { authenticateReporter, type ReporterConfig } from "./authenticate";
import { REPORT_LIMITS } from "./limits";
import { parseReport } from "./schemas";
import { ingestReportIn, type IngestResult } from "./service";

export type ReportHandlerDeps = ReporterConfig & {
  getSql: () => Promise<Sql>;
  /** Jobs reports may create per workspace; REPORT_LIMITS' default when absent. */
  maxReportedJobs?: number;
};

const json = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

const fail = (status: number, error: string, field?: string, headers?: Record<string, string>) =>
  json(status, field ? { error, field } : { error }, headers);

/** Reads at most `limit` bytes of the body; null when it is larger. */
async function readBody(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isJsonContentType(value: string | null): boolean {
  const type = value?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" || Boolean(type?.endsWith("+json"));
}

type Outcome =
  | { kind: "refused"; status: number; error: string }
  | { kind: "invalid"; error: string; field?: string }
  | { kind: "rejected"; status: 403 | 409; error: string; field?: string }
  | { kind: "recorded"; result: IngestResult };

/** The body as a JSON object, or undefined when it is not valid JSON or not an object. */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /api/monitor/job-report: validate, authenticate, record in one transaction, answer.
 * Every refusal is JSON `{error, field?}`; only an unreachable database answers 5xx (503).
 */
export async function handleJobReport(request: Request, deps: ReportHandlerDeps): Promise<Response> {
  const limited = await limitByKey(request, deps.getSql, reportsPerKey());
  if (limited) return limited;
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return fail(415, "Content-Type must be application/json", "content-type");
  }
  const text = await readBody(request, REPORT_LIMITS.bodyBytes);
  if (text === null) return fail(413, `Request body must be at most ${REPORT_LIMITS.bodyBytes} bytes`);

  try {
    const sql = await deps.getSql();
    const outcome: Outcome = await withService(sql, async (tx) => {
      // The secret is checked before the body is looked at, as seed 003 does.
      const reporter = await authenticateReporter(tx, request.headers, deps);
      if ("status" in reporter) return { kind: "refused", status: reporter.status, error: reporter.error };
      const body = parseJsonObject(text);
      if (body === undefined) return { kind: "invalid", error: "Invalid JSON body" };
      const parsed = parseReport(body);
      if ("problem" in parsed) return { kind: "invalid", ...parsed.problem };
      try {
        const result = await ingestReportIn(tx, { workspaceId: reporter.workspaceId, report: parsed.report, maxReportedJobs: deps.maxReportedJobs });
        return { kind: "recorded", result };
      } catch (error) {
        // Refused before anything was written, so the transaction (and the key's last use) stands.
        if (isAppError(error) && (error.code === "conflict" || error.code === "forbidden")) {
          return { kind: "rejected", status: error.code === "conflict" ? 409 : 403, error: error.message, field: error.field };
        }
        throw error;
      }
    });
    if (outcome.kind === "refused") return fail(outcome.status, outcome.error);
    if (outcome.kind === "invalid") return fail(400, outcome.error, outcome.field);
    if (outcome.kind === "rejected") return fail(outcome.status, outcome.error, outcome.field);
    const { result } = outcome;
    // After commit, and without waiting: Slack never slows or fails a report.
    if (result.alertQueued) alertsQueued(sql);
    return json(200, {
      success: true,
      id: result.jobId,
      job_key: result.jobKey,
      run_id: result.runId,
      duplicate: result.isDuplicate,
      ...(result.truncated.length > 0 ? { truncated: result.truncated } : {}),
    });
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      return fail(503, "Jobboard's database is unavailable; retry shortly", undefined, { "retry-after": "5" });
    }
    console.error("job report failed", error);
    return fail(500, "Internal error while recording the report");
  }
}

export const ALLOWED_METHODS = "POST";

export function methodNotAllowed(): Response {
  return fail(405, "Use POST to send a report", undefined, { allow: ALLOWED_METHODS });
}
