import { cleanText } from "@/lib/clean-text";
import type { Sql } from "../db/sql";
import { isDatabaseUnavailable } from "../db/errors";
import { readBodyBytes } from "../http/body";
import { RETRY_AFTER } from "../http/reply";
import type { ReporterConfig } from "../ingest/authenticate";
import { hitKeyLimit } from "../rate-limit/http";
import { reportsPerKey } from "../rate-limit/rules";
import { PING_BODY_LIMIT, recordPing, resolvePingJob } from "./service";
import { PING_ERRORS, parsePingUrl, parseRid } from "./url";

export type PingHandlerDeps = ReporterConfig & {
  getSql: () => Promise<Sql>;
  maxReportedJobs: number;
};

/** Larger bodies are refused outright; anything up to it keeps its last PING_BODY_LIMIT bytes. */
const MAX_BODY_BYTES = 1024 * 1024;
const ALLOWED_METHODS = "GET, HEAD, POST";

/** Every ping answer: plain text, readable from any origin, never cached. */
function answer(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "access-control-allow-origin": "*",
      "cache-control": "no-store",
      "ping-body-limit": String(PING_BODY_LIMIT),
      ...headers,
    },
  });
}

/**
 * /ping/…: Healthchecks' ping API over Jobboard's reports. The same URL, query parameters,
 * answers and headers, so a script written for Healthchecks needs only a new base URL.
 */
export async function handlePing(request: Request, segments: string[], deps: PingHandlerDeps): Promise<Response> {
  if (!["GET", "HEAD", "POST"].includes(request.method)) return answer(405, "method not allowed", { allow: ALLOWED_METHODS });
  const url = parsePingUrl(segments);
  if ("error" in url) return answer(url.error === "notFound" ? 404 : 400, PING_ERRORS[url.error]);
  const query = new URL(request.url).searchParams;
  const rid = parseRid(query.get("rid"));
  if ("error" in rid) return answer(400, PING_ERRORS.badRid);

  const credential = "uuid" in url.target ? url.target.uuid : url.target.pingKey;
  if (!(await hitKeyLimit(deps.getSql, reportsPerKey(), credential))) return answer(429, "rate limited");
  // Invalid UTF-8 is replaced, not refused: a script's output is kept whatever its encoding.
  const bytes = request.method === "POST" ? await readBodyBytes(request, MAX_BODY_BYTES) : Buffer.alloc(0);
  // PostgreSQL text cannot hold NUL, and a stray one must not cost the ping.
  const body = bytes === null ? null : cleanText(new TextDecoder("utf-8", { fatal: false }).decode(bytes));
  if (body === null) return answer(413, `request body must be at most ${MAX_BODY_BYTES} bytes`);

  try {
    const sql = await deps.getSql();
    const job = await resolvePingJob(sql, url.target, deps);
    if ("refused" in job) return answer(job.refused.status, job.refused.text);
    const result = await recordPing(sql, {
      job,
      action: url.action,
      rid: rid.rid,
      body,
      create: query.get("create") === "1" && "slug" in url.target,
      maxReportedJobs: deps.maxReportedJobs,
    });
    return answer(result.status, result.text);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return answer(503, "database unavailable, retry shortly", RETRY_AFTER);
    console.error("ping failed", error);
    return answer(500, "internal error");
  }
}
