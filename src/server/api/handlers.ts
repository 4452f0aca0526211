import { cleanText } from "@/lib/clean-text";
import type { Sql } from "../db/sql";
import { isDatabaseUnavailable } from "../db/errors";
import { withService, type Tx } from "../db/transactions";
import { RETRY_AFTER, databaseUnavailableReply, errorResponse, jsonResponse, methodNotAllowedReply, toResponse } from "../http/reply";
import { listJobs } from "../jobs/queries";
import { listRuns } from "../runs/queries";
import { limitBy, limitByKey } from "../rate-limit/http";
import { clientAddress } from "../http/client-address";
import { BADGES_PER_ADDRESS, READ_API_PER_KEY } from "../rate-limit/rules";
import { authenticateReader, type ApiReader } from "./authenticate";
import { badgeStatus, renderBadge, type BadgeStatus } from "./badge";
import { presentIncident, presentJob, presentRun } from "./present";
import { findJobByKey, getBadgeState, listOpenIncidentsForApi } from "./queries";
import { incidentsQuerySchema, jobsQuerySchema, parseQuery, runsQuerySchema } from "./schemas";

export type ApiDeps = { getSql: () => Promise<Sql>; now?: () => Date };

/** Authenticates the key, then runs `fn` as the service role for the key's workspace. */
async function asReader(request: Request, deps: ApiDeps, fn: (tx: Tx, reader: ApiReader) => Promise<Response>): Promise<Response> {
  const limited = await limitByKey(request, deps.getSql, READ_API_PER_KEY);
  if (limited) return limited;
  try {
    const sql = await deps.getSql();
    return await withService(sql, async (tx) => {
      // The key is checked before anything else is looked at: a stranger learns nothing.
      const reader = await authenticateReader(tx, request.headers);
      if ("status" in reader) return errorResponse(reader.status, reader.error, undefined, { "www-authenticate": 'Bearer realm="jobboard"' });
      return fn(tx, reader);
    });
  } catch (error) {
    if (isDatabaseUnavailable(error)) return toResponse(databaseUnavailableReply());
    console.error("read API request failed", error);
    return errorResponse(500, "Internal error");
  }
}

/**
 * `pattern`'s groups in the request's own path, each decoded once; null when it does not match
 * or is malformed. Read from the URL rather than Next's params so the decoding is ours to know.
 */
function pathParts(request: Request, pattern: RegExp): string[] | null {
  const match = pattern.exec(new URL(request.url).pathname);
  if (!match) return null;
  try {
    return match.slice(1).map((part) => cleanText(decodeURIComponent(part)));
  } catch {
    return null;
  }
}

/** GET /api/v1/jobs: the workspace's jobs with health, last run and next expected run. */
export async function handleListJobs(request: Request, deps: ApiDeps): Promise<Response> {
  return asReader(request, deps, async (tx, reader) => {
    const query = parseQuery(jobsQuerySchema, new URL(request.url).searchParams);
    if ("problem" in query) return errorResponse(400, query.problem.error, query.problem.field);
    const { limit, cursor, health, tag } = query.data;
    // No sparkline: the API does not show one.
    const page = await listJobs(tx, { workspaceId: reader.workspaceId, sort: "title", after: cursor, health, tag, limit, sparkline: false });
    const now = deps.now?.() ?? new Date();
    return jsonResponse(200, { jobs: page.items.map((job) => presentJob(job, now)), next_cursor: page.nextCursor });
  });
}

/** GET /api/v1/jobs/<job_key>/runs: one job's runs, newest first. */
export async function handleListJobRuns(request: Request, deps: ApiDeps): Promise<Response> {
  return asReader(request, deps, async (tx, reader) => {
    const query = parseQuery(runsQuerySchema, new URL(request.url).searchParams);
    if ("problem" in query) return errorResponse(400, query.problem.error, query.problem.field);
    const [jobKey] = pathParts(request, /\/jobs\/([^/]+)\/runs\/?$/) ?? [];
    const job = jobKey ? await findJobByKey(tx, { workspaceId: reader.workspaceId, jobKey }) : undefined;
    if (!job) return errorResponse(404, "No job with this job_key in the key's workspace", "job_key");
    const { limit, cursor, status } = query.data;
    const page = await listRuns(tx, { workspaceId: reader.workspaceId, jobId: job.id, status, after: cursor, limit });
    return jsonResponse(200, {
      job: { id: job.id, job_key: job.job_key, title: job.title },
      runs: page.items.map(presentRun),
      next_cursor: page.nextCursor,
    });
  });
}

/** GET /api/v1/incidents: the workspace's open incidents, newest first. */
export async function handleListIncidents(request: Request, deps: ApiDeps): Promise<Response> {
  return asReader(request, deps, async (tx, reader) => {
    const query = parseQuery(incidentsQuerySchema, new URL(request.url).searchParams);
    if ("problem" in query) return errorResponse(400, query.problem.error, query.problem.field);
    const { limit, cursor } = query.data;
    const page = await listOpenIncidentsForApi(tx, { workspaceId: reader.workspaceId, after: cursor, limit });
    return jsonResponse(200, { incidents: page.items.map(presentIncident), next_cursor: page.nextCursor });
  });
}

const svg = (status: number, message: BadgeStatus | "not found", headers: Record<string, string>) =>
  new Response(renderBadge(message), {
    status,
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      ...headers,
    },
  });

/**
 * GET /api/v1/badge/<workspace_slug>/<job_key>.svg: a job's status shield, for anyone, when an
 * admin has turned it on. Whatever is missing (workspace, job, or the opt-in), the answer is the
 * same 404, so the badge URL reveals nothing about what exists.
 */
export async function handleBadge(request: Request, deps: ApiDeps): Promise<Response> {
  const notFound = () => svg(404, "not found", { "cache-control": "no-store" });
  const [workspaceSlug, file] = pathParts(request, /\/badge\/([^/]+)\/([^/]+)$/) ?? [];
  if (!workspaceSlug || !file?.endsWith(".svg") || file.length === 4) return notFound();
  // Badges are public: limited per client address, which is all a stranger has.
  const limited = await limitBy(deps.getSql, BADGES_PER_ADDRESS, clientAddress(request.headers));
  if (limited) return limited;
  try {
    const sql = await deps.getSql();
    const state = await withService(sql, (tx) => getBadgeState(tx, { workspaceSlug, jobKey: file.slice(0, -4) }));
    if (!state) return notFound();
    return svg(200, badgeStatus(state), { "cache-control": "public, max-age=60" });
  } catch (error) {
    if (isDatabaseUnavailable(error)) return svg(503, "unknown", { "cache-control": "no-store", ...RETRY_AFTER });
    console.error("badge request failed", error);
    return svg(500, "unknown", { "cache-control": "no-store" });
  }
}

export const API_ALLOWED_METHODS = "GET, HEAD";

/** The answer to any method but GET (and HEAD) on a read API route. */
export function apiMethodNotAllowed(): Response {
  return toResponse(methodNotAllowedReply(API_ALLOWED_METHODS, "The read API only answers GET"));
}
