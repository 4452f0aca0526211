import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BADGE_COLORS } from "@/server/api/badge";
import {
  apiMethodNotAllowed,
  handleBadge,
  handleListIncidents,
  handleListJobRuns,
  handleListJobs,
  type ApiDeps,
} from "@/server/api/handlers";
import { encodeCursor } from "@/server/db/page";
import { createSql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { setJobBadge } from "@/server/jobs/badge";
import { listJobs } from "@/server/jobs/queries";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { serveHandlers, type Handler, type TestServer } from "../support/http-server";

let db: TestDatabase;
let server: TestServer;
let owner: TestUser, operator: TestUser, outsider: TestUser;
let workspaceA: { id: string; slug: string };
let workspaceB: { id: string; slug: string };
let readA: string, readB: string;
type JobName = "passing" | "failing" | "missed" | "paused" | "fresh" | "running" | "private" | "many" | "otherPassing";
const jobs = {} as Record<JobName, string>;

type JobSpec = { title: string; paused?: boolean; cron?: string; periodSeconds?: number; badge?: boolean; createdAt?: string };

async function addJob(workspaceId: string, key: string, spec: JobSpec): Promise<string> {
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, paused, schedule_cron, schedule_timezone, schedule_period_seconds,
                      public_badge, created_at)
    values (${workspaceId}, ${key}, ${spec.title}, ${spec.paused ?? false}, ${spec.cron ?? null},
            ${spec.cron ? "UTC" : null}, ${spec.periodSeconds ?? null}, ${spec.badge ?? false},
            ${spec.createdAt ?? new Date().toISOString()})
    returning id`);
  return job!.id;
}

/** A run, made the job's latest as ingest does; queuedAt is SQL text so microseconds survive. */
async function addRun(workspaceId: string, jobId: string, status: string, queuedAt: string): Promise<string> {
  return withService(db.sql, async (tx) => {
    const isFinished = !["queued", "running"].includes(status);
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, message)
      values (${workspaceId}, ${jobId}, ${status}, 'report', ${queuedAt}::text::timestamptz, ${queuedAt}::text::timestamptz,
              ${isFinished ? queuedAt : null}::text::timestamptz, ${`${status} at ${queuedAt}`})
      returning id`;
    await tx`update jobs set last_run_id = ${run!.id} where id = ${jobId}`;
    return run!.id;
  });
}

async function openIncident(workspaceId: string, jobId: string, kind: string, openedAt: string): Promise<string> {
  const [incident] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into incidents (workspace_id, job_id, kind, opened_at, last_message)
    values (${workspaceId}, ${jobId}, ${kind}, ${openedAt}::text::timestamptz, ${`${kind} incident`})
    returning id`);
  return incident!.id;
}

const ROUTES: Array<[RegExp, (request: Request, deps: ApiDeps) => Promise<Response>]> = [
  [/^\/api\/v1\/jobs$/, handleListJobs],
  [/^\/api\/v1\/jobs\/[^/]+\/runs$/, handleListJobRuns],
  [/^\/api\/v1\/incidents$/, handleListIncidents],
  [/^\/api\/v1\/badge\/[^/]+\/[^/]+$/, handleBadge],
];

/** Next's router in miniature: the route files map these paths to these handlers. */
function router(deps: ApiDeps): Record<string, Handler> {
  return new Proxy({} as Record<string, Handler>, {
    get: (_, path) => {
      const handler = ROUTES.find(([pattern]) => typeof path === "string" && pattern.test(path))?.[1];
      if (!handler) return undefined;
      return (request: Request) => (request.method === "GET" ? handler(request, deps) : Promise.resolve(apiMethodNotAllowed()));
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  operator = await seedUser(db.sql, "operator");
  outsider = await seedUser(db.sql, "outsider");
  workspaceA = await seedWorkspace(db.sql, owner, "A");
  workspaceB = await seedWorkspace(db.sql, outsider, "B");
  await addMember(db.sql, workspaceA.id, operator, "operator");
  readA = (await seedIngestKey(db.sql, workspaceA.id, "read")).token;
  readB = (await seedIngestKey(db.sql, workspaceB.id, "read")).token;

  const a = workspaceA.id;
  // Titles sort in this order, which is the API's order.
  jobs.passing = await addJob(a, "api-passing", { title: "A passing", cron: "*/5 * * * *", badge: true });
  await addRun(a, jobs.passing, "failed", "2026-11-20T09:00:00Z");
  await addRun(a, jobs.passing, "succeeded", "2026-11-20T10:00:00Z");
  // An incident it recovered from: /api/v1/incidents lists only open ones.
  await withService(db.sql, (tx) => tx`
    insert into incidents (workspace_id, job_id, kind, opened_at, resolved_at)
    values (${a}, ${jobs.passing}, 'failed', '2026-11-20T09:00:01Z', '2026-11-20T10:00:00Z')`);
  jobs.failing = await addJob(a, "api-failing", { title: "B failing", badge: true });
  const failedRun = await addRun(a, jobs.failing, "failed", "2026-11-20T10:00:00Z");
  await withService(db.sql, (tx) => tx`
    insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, last_message)
    values (${a}, ${jobs.failing}, 'failed', '2026-11-20T10:00:01Z', ${failedRun}, ${failedRun}, 'boom')`);
  jobs.missed = await addJob(a, "api-missed", { title: "C missed", periodSeconds: 3600, badge: true, createdAt: "2026-11-20T00:00:00Z" });
  await openIncident(a, jobs.missed, "missed", "2026-11-20T11:00:00Z");
  jobs.paused = await addJob(a, "api-paused", { title: "D paused", cron: "0 3 * * *", paused: true, badge: true });
  await addRun(a, jobs.paused, "succeeded", "2026-11-20T03:00:00Z");
  jobs.fresh = await addJob(a, "api-new", { title: "E new", badge: true });
  jobs.running = await addJob(a, "api-running", { title: "F running", badge: true });
  await addRun(a, jobs.running, "succeeded", "2026-11-20T08:00:00Z");
  await addRun(a, jobs.running, "running", "2026-11-20T12:00:00Z");
  jobs.private = await addJob(a, "api-private", { title: "G private" });
  await addRun(a, jobs.private, "succeeded", "2026-11-20T10:00:00Z");
  // Seven runs, three of them within one millisecond: pages must not skip any.
  jobs.many = await addJob(a, "api many/runs", { title: "H many" });
  for (const at of [
    "2026-11-21T10:00:00.123900Z",
    "2026-11-21T10:00:00.123456Z",
    "2026-11-21T10:00:00.123100Z",
    "2026-11-21T09:00:00Z",
    "2026-11-21T08:00:00Z",
    "2026-11-21T07:00:00Z",
    "2026-11-21T06:00:00Z",
  ]) {
    await addRun(a, jobs.many, at.startsWith("2026-11-21T08") ? "failed" : "succeeded", at);
  }

  // Workspace B has a job with the same key as one of A's, and an incident of its own.
  jobs.otherPassing = await addJob(workspaceB.id, "api-passing", { title: "B's job", badge: true });
  await addRun(workspaceB.id, jobs.otherPassing, "failed", "2026-11-20T10:00:00Z");
  await openIncident(workspaceB.id, jobs.otherPassing, "failed", "2026-11-20T10:00:00Z");

  const getSql = async () => db.sql;
  const unreachable = createSql("postgres://postgres@127.0.0.1:1/none", { max: 1 });
  server = await serveHandlers(router({ getSql }));
  downServer = await serveHandlers(router({ getSql: async () => unreachable }));
});

let downServer: TestServer;

afterAll(async () => {
  await server?.close();
  await downServer?.close();
  await db?.close();
});

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

async function get(path: string, token: string | null = readA, base = server.url): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

type ApiJob = { job_key: string; title: string; health: string; next_expected_at: string | null; last_run: { status: string } | null; open_incident: { kind: string } | null };

/** Every page of a list, following next_cursor. */
async function walk<T>(path: string, key: string, token = readA): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const answer = await get(cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path, token);
    expect(answer.status).toBe(200);
    items.push(...(answer.body[key] as T[]));
    cursor = answer.body.next_cursor as string | null;
    pages++;
  } while (cursor && pages < 50);
  return { items, pages };
}

describe("GET /api/v1/jobs", () => {
  it("lists the key's workspace's jobs with health, last run and open incident", async () => {
    const answer = await get("/api/v1/jobs");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const list = answer.body.jobs as ApiJob[];
    expect(list.map((job) => job.job_key)).toEqual([
      "api-passing", "api-failing", "api-missed", "api-paused", "api-new", "api-running", "api-private", "api many/runs",
    ]);
    const byKey = Object.fromEntries(list.map((job) => [job.job_key, job]));
    expect(byKey["api-passing"]).toMatchObject({ health: "healthy", last_run: { status: "succeeded" }, open_incident: null });
    expect(byKey["api-failing"]).toMatchObject({ health: "failing", open_incident: { kind: "failed" } });
    expect(byKey["api-missed"]).toMatchObject({ health: "missed", open_incident: { kind: "missed" } });
    expect(byKey["api-paused"]).toMatchObject({ health: "paused", next_expected_at: null });
    expect(byKey["api-new"]).toMatchObject({ health: "new", last_run: null, next_expected_at: null });
    expect(byKey["api-running"]).toMatchObject({ health: "running", last_run: { status: "running" } });
    expect(answer.body.next_cursor).toBeNull();
    // Only what a status page needs: no targets, parameters or schemas.
    expect(Object.keys(list[0]!).sort()).toEqual([
      "description", "enabled", "health", "id", "job_key", "kind", "last_run", "next_expected_at", "open_incident",
      "paused", "schedule", "tags", "title",
    ]);
  });

  it("gives the next expected run from the schedule", async () => {
    const before = Date.now();
    const list = (await get("/api/v1/jobs")).body.jobs as ApiJob[];
    const byKey = Object.fromEntries(list.map((job) => [job.job_key, job]));
    const cronNext = new Date(byKey["api-passing"]!.next_expected_at!);
    expect(cronNext.getTime()).toBeGreaterThan(before);
    expect(cronNext.getTime()).toBeLessThanOrEqual(before + 5 * 60_000);
    expect(cronNext.getUTCMinutes() % 5).toBe(0);
    expect(cronNext.getUTCSeconds()).toBe(0);
    // A period counts from the job's creation (00:00 UTC), so the next slot is on the hour.
    const periodNext = new Date(byKey["api-missed"]!.next_expected_at!);
    expect(periodNext.getTime()).toBeGreaterThan(before);
    expect(periodNext.getTime()).toBeLessThanOrEqual(before + 3_600_000);
    expect(periodNext.getUTCMinutes()).toBe(0);
  });

  it("refuses a report key, and records when the read key was last used", async () => {
    // Keys of this test's own, so that no other test's requests count.
    const [read, report] = [await seedIngestKey(db.sql, workspaceA.id, "read"), await seedIngestKey(db.sql, workspaceA.id, "report")];
    const refused = await get("/api/v1/jobs?limit=1", report.token);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: "This ingest key can only report; use a read key to read" });
    const answer = await get("/api/v1/jobs?limit=1", read.token);
    expect(answer.status).toBe(200);
    expect((answer.body.jobs as ApiJob[])[0]!.job_key).toBe("api-passing");
    const used = await db.sql<{ id: string; used: boolean }[]>`
      select id, last_used_at is not null as used from ingest_keys where id in (${read.id}, ${report.id}) order by used desc`;
    expect(used).toEqual([{ id: read.id, used: true }, { id: report.id, used: false }]);
  });

  it("pages through every job with limit and cursor, none twice", async () => {
    const { items, pages } = await walk<ApiJob>("/api/v1/jobs?limit=3", "jobs");
    expect(pages).toBe(3);
    expect(items.map((job) => job.title)).toEqual(["A passing", "B failing", "C missed", "D paused", "E new", "F running", "G private", "H many"]);
  });

  it("filters by health", async () => {
    const answer = await get("/api/v1/jobs?health=failing");
    expect((answer.body.jobs as ApiJob[]).map((job) => job.job_key)).toEqual(["api-failing"]);
  });

  it("never shows another workspace's jobs", async () => {
    const list = (await get("/api/v1/jobs", readB)).body.jobs as ApiJob[];
    expect(list.map((job) => [job.job_key, job.title])).toEqual([["api-passing", "B's job"]]);
  });
});

describe("GET /api/v1/jobs/<job_key>/runs", () => {
  type ApiRun = { id: string; status: string; queued_at: string };

  it("lists one job's runs newest first, and pages without skipping runs a microsecond apart", async () => {
    const path = `/api/v1/jobs/${encodeURIComponent("api many/runs")}/runs`;
    const first = await get(`${path}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.job).toMatchObject({ job_key: "api many/runs", title: "H many" });
    const { items, pages } = await walk<ApiRun>(`${path}?limit=2`, "runs");
    expect(pages).toBe(4);
    const expected = await db.sql<{ id: string }[]>`
      select id from runs where job_id = ${jobs.many} order by queued_at desc, id desc`;
    expect(items.map((run) => run.id)).toEqual(expected.map((run) => run.id));
    expect(new Set(items.map((run) => run.id)).size).toBe(7);
  });

  it("filters by status", async () => {
    const answer = await get(`/api/v1/jobs/${encodeURIComponent("api many/runs")}/runs?status=failed`);
    expect((answer.body.runs as ApiRun[]).map((run) => [run.status, run.queued_at])).toEqual([["failed", "2026-11-21T08:00:00.000Z"]]);
  });

  it("answers 404 naming job_key for an unknown key, and for another workspace's job", async () => {
    const unknown = await get("/api/v1/jobs/no-such-job/runs");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: "No job with this job_key in the key's workspace", field: "job_key" });
    const foreign = await get(`/api/v1/jobs/${encodeURIComponent("api many/runs")}/runs`, readB);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
  });

  it("never answers 500 to a NUL in the path or the query", async () => {
    expect(await get("/api/v1/jobs/no%00such/runs")).toMatchObject({ status: 404, body: { field: "job_key" } });
    expect((await get("/api/v1/jobs?tag=%00")).status).toBe(400);
    expect((await get("/api/v1/jobs?tag=night%00ly")).status).toBe(200);
  });

  it("shows each workspace its own job when two share a key", async () => {
    const mine = await get("/api/v1/jobs/api-passing/runs", readB);
    expect(mine.body.job).toMatchObject({ id: jobs.otherPassing, title: "B's job" });
    expect((mine.body.runs as ApiRun[]).map((run) => run.status)).toEqual(["failed"]);
  });
});

describe("GET /api/v1/incidents", () => {
  type ApiIncident = { id: string; kind: string; job_key: string };

  it("lists open incidents only, newest first, for the key's workspace only", async () => {
    const answer = await get("/api/v1/incidents");
    expect(answer.status).toBe(200);
    expect((answer.body.incidents as ApiIncident[]).map((i) => [i.job_key, i.kind])).toEqual([
      ["api-missed", "missed"],
      ["api-failing", "failed"],
    ]);
    const other = await get("/api/v1/incidents", readB);
    expect((other.body.incidents as ApiIncident[]).map((i) => i.job_key)).toEqual(["api-passing"]);
  });

  it("pages with limit and cursor", async () => {
    const { items, pages } = await walk<ApiIncident>("/api/v1/incidents?limit=1", "incidents");
    expect(pages).toBe(2);
    expect(items.map((i) => i.job_key)).toEqual(["api-missed", "api-failing"]);
  });
});

describe("read API paging", () => {
  // A workspace of its own, so that the lists above keep their length.
  let workspaceC: string;
  let readC: string;
  const runIds: string[] = [];
  const jobIds: string[] = [];
  const incidentIds: string[] = [];
  const INSTANT = "2026-11-22T10:00:00.000007Z";

  beforeAll(async () => {
    workspaceC = (await seedWorkspace(db.sql, owner, "Paging")).id;
    readC = (await seedIngestKey(db.sql, workspaceC, "read")).token;
    // Three jobs of one title, each with a run and an open incident at the very same instant.
    for (const key of ["same-1", "same-2", "same-3"]) {
      const jobId = await addJob(workspaceC, key, { title: "Same title" });
      jobIds.push(jobId);
      incidentIds.push(await openIncident(workspaceC, jobId, "failed", INSTANT));
    }
    for (let i = 0; i < 5; i++) runIds.push(await addRun(workspaceC, jobIds[0]!, "succeeded", INSTANT));
  });

  const ascending = (ids: string[]) => [...ids].sort();
  const descending = (ids: string[]) => [...ids].sort().reverse();

  it("breaks ties by id: runs and incidents of one instant newest id first, jobs of one title lowest id first", async () => {
    const runs = await walk<{ id: string }>("/api/v1/jobs/same-1/runs?limit=2", "runs", readC);
    expect(runs.items.map((run) => run.id)).toEqual(descending(runIds));
    expect(runs.pages).toBe(3);
    const incidents = await walk<{ id: string }>("/api/v1/incidents?limit=2", "incidents", readC);
    expect(incidents.items.map((incident) => incident.id)).toEqual(descending(incidentIds));
    const jobsByTitle = await walk<{ id: string }>("/api/v1/jobs?limit=1", "jobs", readC);
    expect(jobsByTitle.items.map((job) => job.id)).toEqual(ascending(jobIds));
    expect(jobsByTitle.pages).toBe(3);
  });

  it("gives next_cursor null on the last page, also when it is exactly full", async () => {
    const full = await get("/api/v1/jobs/same-1/runs?limit=5", readC);
    expect((full.body.runs as unknown[]).length).toBe(5);
    expect(full.body.next_cursor).toBeNull();
    const first = await get("/api/v1/jobs/same-1/runs?limit=4", readC);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const last = await get(`/api/v1/jobs/same-1/runs?limit=4&cursor=${first.body.next_cursor as string}`, readC);
    expect(last.body).toMatchObject({ runs: [{ id: descending(runIds)[4] }], next_cursor: null });
  });

  it("shares the jobs page's cursor: the same place in the title order is the same cursor", async () => {
    const api = await get("/api/v1/jobs?limit=2", readC);
    const page = await withService(db.sql, (tx) => listJobs(tx, { workspaceId: workspaceC, sort: "title", limit: 2 }));
    expect(api.body.next_cursor).toBe(page.nextCursor);
    expect(api.body.next_cursor).toBe(encodeCursor(["Same title", ascending(jobIds)[1]!]));
  });

  it("answers 400 naming cursor for a tampered cursor, or one from another list's order", async () => {
    const runsCursor = (await get("/api/v1/jobs/same-1/runs?limit=1", readC)).body.next_cursor as string;
    const jobsCursor = (await get("/api/v1/jobs?limit=1", readC)).body.next_cursor as string;
    const cases = [
      `/api/v1/jobs/same-1/runs?cursor=${runsCursor.slice(0, -3)}`,
      `/api/v1/jobs/same-1/runs?cursor=${jobsCursor}`,
      `/api/v1/incidents?cursor=${jobsCursor}`,
      `/api/v1/incidents?cursor=${encodeCursor(["2026-11-22T10:00:00Z", "not-a-uuid"])}`,
      `/api/v1/jobs?cursor=${Buffer.from(JSON.stringify({ title: "Same title", id: jobIds[0] })).toString("base64url")}`,
      `/api/v1/jobs?cursor=${"A".repeat(3000)}`,
    ];
    for (const path of cases) {
      const answer = await get(path, readC);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).toEqual({ error: "cursor is not valid: pass next_cursor from the previous page unchanged", field: "cursor" });
    }
  });
});

describe("read API refusals", () => {
  it("refuses a missing, malformed or unknown key, and the shared webhook secret, with 401", async () => {
    const cases: Array<[string | null, string]> = [
      [null, "Send an ingest key: Authorization: Bearer jb_… (or X-Jobboard-Secret)"],
      ["not-a-key", "Invalid ingest key"],
      [`jb_AAAAAAAAAAAA_${"x".repeat(43)}`, "Invalid ingest key"],
      [`${readA.slice(0, -1)}${readA.endsWith("A") ? "B" : "A"}`, "Invalid ingest key"],
    ];
    for (const [token, error] of cases) {
      const answer = await get("/api/v1/jobs", token);
      expect(answer.status, String(token)).toBe(401);
      expect(answer.body).toEqual({ error });
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="jobboard"');
    }
  });

  it("accepts the key in X-Jobboard-Secret", async () => {
    const response = await fetch(`${server.url}/api/v1/incidents`, { headers: { "x-jobboard-secret": readA } });
    expect(response.status).toBe(200);
  });

  it("refuses a revoked key on the very next request", async () => {
    const key = await seedIngestKey(db.sql, workspaceA.id, "read");
    expect((await get("/api/v1/jobs", key.token)).status).toBe(200);
    // Revoked the way the keys page does it: by an admin, under RLS.
    await asUser(db.sql, owner, (tx) => tx`
      update ingest_keys set revoked_at = now(), revoked_by = ${owner.id} where id = ${key.id}`);
    const answer = await get("/api/v1/jobs", key.token);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: "This ingest key has been revoked" });
    expect((await get("/api/v1/jobs/api-passing/runs", key.token)).status).toBe(401);
  });

  it("checks the key before the query: a stranger gets 401, not a hint about parameters", async () => {
    expect((await get("/api/v1/jobs?limit=0", null)).status).toBe(401);
  });

  const badQueries: Array<[string, Record<string, unknown>]> = [
    ["/api/v1/jobs?limit=0", { error: "limit must be an integer from 1 to 200", field: "limit" }],
    ["/api/v1/jobs?limit=201", { error: "limit must be an integer from 1 to 200", field: "limit" }],
    ["/api/v1/jobs?limit=ten", { error: "limit must be an integer from 1 to 200", field: "limit" }],
    ["/api/v1/jobs?limit=1.5", { error: "limit must be an integer from 1 to 200", field: "limit" }],
    ["/api/v1/jobs?cursor=garbage", { error: "cursor is not valid: pass next_cursor from the previous page unchanged", field: "cursor" }],
    ["/api/v1/jobs?health=sick", { field: "health" }],
    ["/api/v1/jobs?stauts=failed", { error: "Unknown query parameter: stauts", field: "stauts" }],
    ["/api/v1/jobs?limit=1&limit=2", { error: "limit must be given once", field: "limit" }],
    ["/api/v1/jobs/api-passing/runs?status=ok", { field: "status" }],
    ["/api/v1/jobs/api-passing/runs?cursor=eyJ4IjoxfQ", { field: "cursor" }],
    ["/api/v1/incidents?limit=-1", { field: "limit" }],
    ["/api/v1/incidents?status=open", { error: "Unknown query parameter: status", field: "status" }],
  ];
  for (const [path, body] of badQueries) {
    it(`answers 400 naming the field for ${path}`, async () => {
      const answer = await get(path);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject(body);
      expect(Object.keys(answer.body).sort()).toEqual(["error", "field"]);
    });
  }

  it("answers 405 with Allow to other methods", async () => {
    for (const path of ["/api/v1/jobs", "/api/v1/incidents", "/api/v1/jobs/api-passing/runs", `/api/v1/badge/${workspaceA.slug}/api-passing.svg`]) {
      const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${readA}` } });
      expect(response.status, path).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
      expect(await response.json()).toEqual({ error: "The read API only answers GET" });
    }
  });

  it("answers 503 with Retry-After when the database cannot be reached, without saying why", async () => {
    const answer = await get("/api/v1/jobs", readA, downServer.url);
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(answer.body).toEqual({ error: "Jobboard's database is unavailable; retry shortly" });
  });
});

describe("GET /api/v1/badge/<workspace>/<job_key>.svg", () => {
  async function badge(path: string, base = server.url) {
    const response = await fetch(`${base}/api/v1/badge/${path}`);
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  const expectations: Array<[string, string]> = [
    ["api-passing", "passing"],
    ["api-failing", "failing"],
    ["api-missed", "missed"],
    ["api-paused", "paused"],
    ["api-new", "unknown"],
    // A run in progress keeps the last outcome on the badge.
    ["api-running", "passing"],
  ];
  for (const [jobKey, word] of expectations) {
    it(`shows "${word}" for ${jobKey}, in its colour, with an accessible name`, async () => {
      const answer = await badge(`${workspaceA.slug}/${jobKey}.svg`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
      expect(answer.headers.get("cache-control")).toBe("public, max-age=60");
      expect(answer.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(answer.body).toContain(`<title>jobboard: ${word}</title>`);
      expect(answer.body).toContain(`role="img" aria-label="jobboard: ${word}"`);
      expect(answer.body).toContain(`fill="${BADGE_COLORS[word as keyof typeof BADGE_COLORS]}"`);
      expect(answer.body).toContain(`>${word}</text>`);
    });
  }

  it("gives the same 404 for no such workspace, no such job, a badge not turned on and a bad file name", async () => {
    const answers = await Promise.all(
      [
        `no-such-workspace/api-passing.svg`,
        `${workspaceA.slug}/no-such-job.svg`,
        `${workspaceA.slug}/api-private.svg`,
        `${workspaceA.slug}/api-passing.png`,
        `${workspaceA.slug}/.svg`,
      ].map((path) => badge(path)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toBe(answers[0]!.body);
      expect([...answer.headers.entries()].filter(([name]) => !["date", "connection", "keep-alive"].includes(name))).toEqual(
        [...answers[0]!.headers.entries()].filter(([name]) => !["date", "connection", "keep-alive"].includes(name)),
      );
    }
    expect(answers[0]!.body).toContain("<title>jobboard: not found</title>");
  });

  it("shows each workspace's own job when two share a key", async () => {
    expect((await badge(`${workspaceB.slug}/api-passing.svg`)).body).toContain("<title>jobboard: failing</title>");
    expect((await badge(`${workspaceA.slug}/api-passing.svg`)).body).toContain("<title>jobboard: passing</title>");
  });

  it("is turned on and off by an admin, audited, and refused to an operator", async () => {
    const path = `${workspaceA.slug}/api-private.svg`;
    expect((await badge(path)).status).toBe(404);
    const actor = { userId: owner.id, email: owner.email };
    await asUser(db.sql, owner, (tx) => setJobBadge(tx, { workspaceId: workspaceA.id, jobId: jobs.private, enabled: true, actor }));
    expect((await badge(path)).body).toContain("<title>jobboard: passing</title>");

    const [entry] = await db.sql<{ actor_id: string; actor_label: string; target_type: string; target_id: string; detail: unknown }[]>`
      select actor_id, actor_label, target_type, target_id, detail from audit_log
      where workspace_id = ${workspaceA.id} and action = 'job.badge_enabled'`;
    expect(entry).toEqual({
      actor_id: owner.id,
      actor_label: owner.email,
      target_type: "job",
      target_id: jobs.private,
      detail: { before: { public_badge: false }, after: { public_badge: true } },
    });

    // Setting what is already set changes nothing and records nothing.
    await asUser(db.sql, owner, (tx) => setJobBadge(tx, { workspaceId: workspaceA.id, jobId: jobs.private, enabled: true, actor }));
    const [row] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from audit_log where target_id = ${jobs.private} and action like 'job.badge_%'`;
    expect(row!.count).toBe(1);

    await expect(
      asUser(db.sql, operator, (tx) =>
        setJobBadge(tx, { workspaceId: workspaceA.id, jobId: jobs.private, enabled: false, actor: { userId: operator.id, email: operator.email } }),
      ),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect((await badge(path)).status).toBe(200);

    await asUser(db.sql, owner, (tx) => setJobBadge(tx, { workspaceId: workspaceA.id, jobId: jobs.private, enabled: false, actor }));
    expect((await badge(path)).status).toBe(404);
    await expect(
      asUser(db.sql, outsider, (tx) =>
        setJobBadge(tx, { workspaceId: workspaceA.id, jobId: jobs.private, enabled: true, actor: { userId: outsider.id, email: outsider.email } }),
      ),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers 503 with Retry-After when the database cannot be reached", async () => {
    const answer = await badge(`${workspaceA.slug}/api-passing.svg`, downServer.url);
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });
});
