import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSql } from "@/server/db/sql";
import { toResponse } from "@/server/http/reply";
import { handleJobReport, methodNotAllowedReply, type ReportHandlerDeps } from "@/server/ingest/http";
import { REPORT_LIMITS } from "@/server/ingest/limits";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedIngestKey, seedUser, seedWorkspace } from "../support/fixtures";
import { serveHandlers, type TestServer } from "../support/http-server";

const WEBHOOK_SECRET = "seed-003-shared-secret-0123456789";

let db: TestDatabase;
let server: TestServer;
let workspaceA: { id: string; slug: string };
let workspaceB: { id: string; slug: string };

function route(deps: ReportHandlerDeps) {
  return (request: Request) => (request.method === "POST" ? handleJobReport(request, deps) : Promise.resolve(toResponse(methodNotAllowedReply())));
}

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  workspaceA = await seedWorkspace(db.sql, owner, "A");
  workspaceB = await seedWorkspace(db.sql, owner, "B");
  const getSql = async () => db.sql;
  const unreachable = createSql("postgres://postgres@127.0.0.1:1/none", { max: 1 });
  server = await serveHandlers({
    "/api/monitor/job-report": route({ getSql, webhookSecret: WEBHOOK_SECRET, defaultWorkspace: workspaceA.slug }),
    "/unconfigured/job-report": route({ getSql }),
    "/db-down/job-report": route({ getSql: async () => unreachable, webhookSecret: WEBHOOK_SECRET }),
  });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

async function send(body: unknown, headers: Record<string, string> = {}, path = "/api/monitor/job-report"): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

const seedHeader = { "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET };
let keyCounter = 0;
const newKey = () => `job-${Date.now()}-${keyCounter++}`;

function seedPayload(overrides: Record<string, unknown> = {}) {
  return {
    job_key: newKey(),
    title: "minpaku-IN レポート作成",
    status: "success",
    finished_at: new Date().toISOString(),
    message: "処理完了",
    ...overrides,
  };
}

async function rowCounts() {
  const [row] = await db.sql<{ jobs: number; runs: number; incidents: number }[]>`
    select (select count(*)::int from jobs) as jobs, (select count(*)::int from runs) as runs,
           (select count(*)::int from incidents) as incidents`;
  return row!;
}

async function runOf(runId: unknown) {
  const [run] = await db.sql`
    select r.status, r.started_at, r.finished_at, r.duration_ms, r.exit_code, r.message, r.stderr_tail, r.log,
           r.host, r.stages, r.current_stage, r.progress_percent::float8 as percent, r.workspace_id, j.last_run_id
    from runs r join jobs j on j.id = r.job_id where r.id = ${String(runId)}`;
  return run!;
}

async function openIncident(jobKey: string) {
  const [incident] = await db.sql`
    select i.kind, i.failure_count, i.last_message, i.resolved_at from incidents i join jobs j on j.id = i.job_id
    where j.job_key = ${jobKey} order by i.opened_at desc limit 1`;
  return incident;
}

describe("POST /api/monitor/job-report — seed 003's contract", () => {
  it("accepts seed 003's exact payload and header, creating the job and answering {success, id, job_key}", async () => {
    const payload = seedPayload({ tool_id: null });
    const answer = await send(payload, seedHeader);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ success: true, job_key: payload.job_key });
    const [job] = await db.sql`select id, title, workspace_id from jobs where job_key = ${payload.job_key}`;
    expect(answer.body.id).toBe(job!.id);
    expect(job!.title).toBe("minpaku-IN レポート作成");
    expect(job!.workspace_id).toBe(workspaceA.id);
    const run = await runOf(answer.body.run_id);
    expect(run).toMatchObject({ status: "succeeded", message: "処理完了", last_run_id: answer.body.run_id });
    expect(run.finished_at.toISOString()).toBe(payload.finished_at);
  });

  it("accepts Python's isoformat() timestamps with microseconds and an offset", async () => {
    const answer = await send(seedPayload({ finished_at: "2026-11-23T09:30:00.123456+09:00" }), seedHeader);
    expect(answer.status).toBe(200);
    expect((await runOf(answer.body.run_id)).finished_at.toISOString()).toBe("2026-11-23T00:30:00.123Z");
  });

  const refusals: Array<[string, () => Promise<Answer>, number, Record<string, unknown>]> = [
    ["invalid JSON", () => send("{not json", seedHeader), 400, { error: "Invalid JSON body" }],
    ["a JSON array", () => send([1, 2], seedHeader), 400, { error: "Invalid JSON body" }],
    ["a missing job_key", () => send(seedPayload({ job_key: undefined }), seedHeader), 400, { error: "job_key is required", field: "job_key" }],
    ["a numeric job_key", () => send(seedPayload({ job_key: 42 }), seedHeader), 400, { error: "job_key is required", field: "job_key" }],
    ["a missing title", () => send(seedPayload({ title: "" }), seedHeader), 400, { error: "title is required", field: "title" }],
    ["a blank title", () => send(seedPayload({ title: "  " }), seedHeader), 400, { error: "title is required", field: "title" }],
    ["a bad status", () => send(seedPayload({ status: "ok" }), seedHeader), 400, { error: "status must be 'success' or 'error'", field: "status" }],
    ["a missing finished_at", () => send(seedPayload({ finished_at: undefined }), seedHeader), 400, { error: "finished_at is required", field: "finished_at" }],
    ["a bad finished_at", () => send(seedPayload({ finished_at: "yesterday" }), seedHeader), 400, { error: "finished_at must be valid ISO 8601", field: "finished_at" }],
    ["an impossible date", () => send(seedPayload({ finished_at: "2026-13-45T00:00:00Z" }), seedHeader), 400, { field: "finished_at" }],
    ["a bad exit_code", () => send(seedPayload({ exit_code: 1.5 }), seedHeader), 400, { error: "exit_code must be an integer", field: "exit_code" }],
    ["a percent over 100", () => send(seedPayload({ percent: 140 }), seedHeader), 400, { field: "percent" }],
    ["a wrong secret", () => send(seedPayload(), { "X-TC-Portal-Webhook-Secret": "wrong" }), 401, { error: "Invalid or missing webhook secret" }],
    ["no secret", () => send(seedPayload()), 401, { error: "Invalid or missing webhook secret" }],
    ["an unknown ingest key", () => send(seedPayload(), { Authorization: `Bearer jb_AAAAAAAAAAAA_${"x".repeat(43)}` }), 401, { error: "Invalid or missing webhook secret" }],
    ["a server with no secret configured", () => send(seedPayload(), seedHeader, "/unconfigured/job-report"), 500, { error: "Server configuration error" }],
  ];

  for (const [what, attempt, status, body] of refusals) {
    it(`answers ${status} for ${what} and writes nothing`, async () => {
      const before = await rowCounts();
      const answer = await attempt();
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject(body);
      expect(await rowCounts()).toEqual(before);
    });
  }

  it("refuses a non-JSON content type with 415 and an oversized body with 413", async () => {
    const before = await rowCounts();
    const form = await fetch(`${server.url}/api/monitor/job-report`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...seedHeader },
      body: "job_key=x",
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ error: "Content-Type must be application/json", field: "content-type" });

    const huge = await send(seedPayload({ log: "x".repeat(REPORT_LIMITS.bodyBytes + 10) }), seedHeader);
    expect(huge.status).toBe(413);
    expect(String(huge.body.error)).toMatch(/at most 1048576 bytes/);
    expect(await rowCounts()).toEqual(before);
  });

  it("answers 405 with Allow: POST to other methods", async () => {
    const response = await fetch(`${server.url}/api/monitor/job-report`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({ error: "Use POST to send a report" });
  });

  it("answers 503 with Retry-After when the database cannot be reached, without leaking why", async () => {
    const answer = await send(seedPayload(), seedHeader, "/db-down/job-report");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(JSON.stringify(answer.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/);
  });
});

describe("POST /api/monitor/job-report — run lifecycle", () => {
  it("pairs a start with its finish by run_id", async () => {
    const jobKey = newKey();
    const startedAt = new Date(Date.now() - 90_000).toISOString();
    const start = await send({ event: "start", job_key: jobKey, title: "Recap", run_id: "r-1", started_at: startedAt, host: "worker-2" }, seedHeader);
    expect(start.status).toBe(200);
    expect(await runOf(start.body.run_id)).toMatchObject({ status: "running", host: "worker-2", finished_at: null });

    const finish = await send(
      { job_key: jobKey, title: "Recap", status: "error", finished_at: new Date().toISOString(), run_id: "r-1", exit_code: 3, stderr: "boom\n" },
      seedHeader,
    );
    expect(finish.body).toMatchObject({ success: true, run_id: start.body.run_id, duplicate: false });
    const run = await runOf(start.body.run_id);
    expect(run).toMatchObject({ status: "failed", exit_code: 3, stderr_tail: "boom\n", host: "worker-2" });
    expect(run.duration_ms).toBeGreaterThanOrEqual(89_000);
    expect(await openIncident(jobKey)).toMatchObject({ kind: "failed", failure_count: 1, resolved_at: null });
  });

  it("counts a repeated finish once", async () => {
    const jobKey = newKey();
    const finish = { job_key: jobKey, title: "Export", status: "error", finished_at: new Date().toISOString(), run_id: "dup-1", message: "disk full" };
    const first = await send(finish, seedHeader);
    const second = await send(finish, seedHeader);
    expect(second.body).toMatchObject({ run_id: first.body.run_id, duplicate: true });
    const [{ count }] = (await db.sql`select count(*)::int as count from runs r join jobs j on j.id = r.job_id where j.job_key = ${jobKey}`) as unknown as [{ count: number }];
    expect(count).toBe(1);
    expect(await openIncident(jobKey)).toMatchObject({ failure_count: 1, last_message: "disk full" });
  });

  it("records a finish without a start as a complete run, its start derived from duration_ms", async () => {
    const finishedAt = new Date("2026-11-23T01:00:00Z");
    const answer = await send(
      { job_key: newKey(), title: "Backup", status: "success", finished_at: finishedAt.toISOString(), run_id: "solo", duration_ms: 120_000, exit_code: 0 },
      seedHeader,
    );
    const run = await runOf(answer.body.run_id);
    expect(run).toMatchObject({ status: "succeeded", duration_ms: 120_000, exit_code: 0 });
    expect(run.started_at.toISOString()).toBe("2026-11-23T00:58:00.000Z");
  });

  it("ignores a start that arrives after its run finished", async () => {
    const jobKey = newKey();
    const finish = await send({ job_key: jobKey, title: "T", status: "success", finished_at: new Date().toISOString(), run_id: "late" }, seedHeader);
    const start = await send({ event: "start", job_key: jobKey, run_id: "late", started_at: new Date(Date.now() - 5000).toISOString() }, seedHeader);
    expect(start.body).toMatchObject({ run_id: finish.body.run_id, duplicate: true });
    expect(await runOf(finish.body.run_id)).toMatchObject({ status: "succeeded" });
  });

  it("moves a running run through its stages, and ignores progress after it finished", async () => {
    const jobKey = newKey();
    const stages = ["Fetch", "Preprocess", "Dedup", "Genre", "Select", "Evidence", "Dispatch", "Persist"];
    const start = await send({ event: "start", job_key: jobKey, title: "Recap", run_id: "p-1", stages }, seedHeader);
    await send({ event: "progress", job_key: jobKey, run_id: "p-1", stage: "Dedup", percent: 30, message: "dedup 3/10" }, seedHeader);
    expect(await runOf(start.body.run_id)).toMatchObject({ status: "running", stages, current_stage: "Dedup", percent: 30, message: "dedup 3/10" });

    await send({ job_key: jobKey, title: "Recap", status: "success", finished_at: new Date().toISOString(), run_id: "p-1" }, seedHeader);
    const late = await send({ event: "progress", job_key: jobKey, run_id: "p-1", stage: "Fetch", percent: 5 }, seedHeader);
    expect(late.body.duplicate).toBe(true);
    expect(await runOf(start.body.run_id)).toMatchObject({ status: "succeeded", current_stage: "Dedup", percent: 100 });
  });

  it("asks for run_id on progress reports", async () => {
    const answer = await send({ event: "progress", job_key: newKey(), stage: "Fetch" }, seedHeader);
    expect(answer).toMatchObject({ status: 400, body: { error: "run_id is required for progress reports", field: "run_id" } });
  });

  it("opens an incident on failure, adds repeated failures to it, and resolves it on success", async () => {
    const jobKey = newKey();
    const at = (minutes: number) => new Date(Date.now() - (60 - minutes) * 60_000).toISOString();
    await send({ job_key: jobKey, title: "T", status: "error", finished_at: at(0), message: "first" }, seedHeader);
    await send({ job_key: jobKey, title: "T", status: "error", finished_at: at(10), message: "second" }, seedHeader);
    expect(await openIncident(jobKey)).toMatchObject({ kind: "failed", failure_count: 2, last_message: "second", resolved_at: null });
    await send({ job_key: jobKey, title: "T", status: "success", finished_at: at(20) }, seedHeader);
    expect((await openIncident(jobKey))!.resolved_at).not.toBeNull();
  });

  it("opens an incident only at the job's failure threshold, and resolves it only at its recovery threshold", async () => {
    const jobKey = newKey();
    const at = (minutes: number) => new Date(Date.now() - (60 - minutes) * 60_000).toISOString();
    const report = (status: "success" | "error", minute: number) =>
      send({ job_key: jobKey, title: "Flaky", status, finished_at: at(minute), message: `${status} at ${minute}` }, seedHeader);
    await report("success", 0);
    await db.sql`update jobs set failure_threshold = 3, recovery_threshold = 2 where job_key = ${jobKey}`;
    const alerts = async () => (await db.sql<{ kind: string }[]>`
      select a.kind from alerts a join jobs j on j.id = a.job_id where j.job_key = ${jobKey} order by a.created_at`).map((a) => a.kind);

    // Two failures, a success between them and the next: the count starts again.
    await report("error", 1);
    await report("error", 2);
    await report("success", 3);
    await report("error", 4);
    await report("error", 5);
    expect(await openIncident(jobKey)).toBeUndefined();
    expect(await alerts()).toEqual([]);
    await report("error", 6);
    expect(await openIncident(jobKey)).toMatchObject({ kind: "failed", failure_count: 1, last_message: "error at 6", resolved_at: null });
    expect(await alerts()).toEqual(["failure"]);

    await report("success", 7);
    expect((await openIncident(jobKey))!.resolved_at).toBeNull();
    await report("success", 8);
    expect((await openIncident(jobKey))!.resolved_at).not.toBeNull();
    expect(await alerts()).toEqual(["failure", "recovery"]);
  });

  it("keeps the tail of an oversized stderr and log, cuts long messages, and says so", async () => {
    const stderr = `${"early line\n".repeat(10_000)}Traceback: the part that matters\n`;
    const answer = await send(seedPayload({ status: "error", stderr, log: "あ".repeat(30_000), message: "m".repeat(5000) }), seedHeader);
    expect(answer.status).toBe(200);
    expect(answer.body.truncated).toEqual(["message", "stderr", "log"]);
    const run = await runOf(answer.body.run_id);
    expect(Buffer.byteLength(run.stderr_tail, "utf8")).toBeLessThanOrEqual(REPORT_LIMITS.tailBytes);
    expect(run.stderr_tail.endsWith("Traceback: the part that matters\n")).toBe(true);
    // Cut on a character boundary: only whole "あ" (3 bytes each) remain.
    expect(run.log).toBe("あ".repeat(Math.floor(REPORT_LIMITS.tailBytes / 3)));
    expect(run.message).toHaveLength(REPORT_LIMITS.messageChars);
  });

  it("drops NUL characters that PostgreSQL cannot store instead of failing the report", async () => {
    const answer = await send(seedPayload({ stderr: "bad\u0000byte" }), seedHeader);
    expect(answer.status).toBe(200);
    expect((await runOf(answer.body.run_id)).stderr_tail).toBe("badbyte");
  });

  it("takes a finish without a title: a new job is titled by its key, an existing one keeps its title", async () => {
    const jobKey = newKey();
    const created = await send(seedPayload({ job_key: jobKey, title: undefined }), seedHeader);
    expect(created.status).toBe(200);
    expect(await db.sql`select title from jobs where id = ${created.body.id as string}`).toEqual([{ title: jobKey }]);
    await send(seedPayload({ job_key: jobKey, title: "Nightly export" }), seedHeader);
    expect((await send(seedPayload({ job_key: jobKey, title: null, status: "error" }), seedHeader)).status).toBe(200);
    expect(await db.sql`select title from jobs where id = ${created.body.id as string}`).toEqual([{ title: "Nightly export" }]);
  });

  it("replaces a lone surrogate, which JSON allows and PostgreSQL does not, wherever it is", async () => {
    const answer = await send(
      seedPayload({ title: "T\ud800", message: "half \ud83d", log: "ok\udc00\u0000", tags: ["a\ud800"], stage: "s\u0000" }),
      seedHeader,
    );
    expect(answer.status).toBe(200);
    const run = await runOf(answer.body.run_id);
    expect({ message: run.message, log: run.log }).toEqual({ message: "half \ufffd", log: "ok\ufffd" });
    expect(await db.sql`select title, tags from jobs where id = ${answer.body.id as string}`).toEqual([{ title: "T\ufffd", tags: ["a\ufffd"] }]);
  });
});

describe("POST /api/monitor/job-report — ingest keys", () => {
  it("files a report under the key's own workspace, by Bearer or X-Jobboard-Secret, and notes its use", async () => {
    const keyA = await seedIngestKey(db.sql, workspaceA.id);
    const keyB = await seedIngestKey(db.sql, workspaceB.id);
    const jobKey = newKey();
    const viaA = await send(seedPayload({ job_key: jobKey }), { Authorization: `Bearer ${keyA.token}` });
    const viaB = await send(seedPayload({ job_key: jobKey }), { "X-Jobboard-Secret": keyB.token });
    expect([viaA.status, viaB.status]).toEqual([200, 200]);
    expect(viaA.body.id).not.toBe(viaB.body.id);
    expect((await runOf(viaA.body.run_id)).workspace_id).toBe(workspaceA.id);
    expect((await runOf(viaB.body.run_id)).workspace_id).toBe(workspaceB.id);
    const [used] = await db.sql`select last_used_at from ingest_keys where id = ${keyB.id}`;
    expect(used!.last_used_at).not.toBeNull();
  });

  it("refuses a revoked key at once, and a read-only key for reports", async () => {
    const key = await seedIngestKey(db.sql, workspaceB.id);
    expect((await send(seedPayload(), { Authorization: `Bearer ${key.token}` })).status).toBe(200);
    await db.sql`update ingest_keys set revoked_at = now() where id = ${key.id}`;
    const before = await rowCounts();
    const revoked = await send(seedPayload(), { Authorization: `Bearer ${key.token}` });
    expect(revoked).toMatchObject({ status: 401, body: { error: "This ingest key has been revoked" } });

    const readOnly = await seedIngestKey(db.sql, workspaceB.id, "read");
    const refused = await send(seedPayload(), { Authorization: `Bearer ${readOnly.token}` });
    expect(refused.status).toBe(403);
    expect(await rowCounts()).toEqual(before);
  });

  it("does not let a key's secret part pass for another key", async () => {
    const key = await seedIngestKey(db.sql, workspaceA.id);
    const other = await seedIngestKey(db.sql, workspaceB.id);
    const spliced = `${other.token.slice(0, 15)}${key.token.slice(15)}`;
    expect((await send(seedPayload(), { Authorization: `Bearer ${spliced}` })).status).toBe(401);
  });
});

describe("POST /api/monitor/job-report — concurrency", () => {
  it("creates one job when 200 reports for a new job_key arrive at once", async () => {
    const jobKey = newKey();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        send(seedPayload({ job_key: jobKey, status: index % 2 ? "success" : "error", run_id: `c-${index}` }), seedHeader),
      ),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const jobs = await db.sql`select id from jobs where job_key = ${jobKey}`;
    expect(jobs).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.id))).toEqual(new Set([jobs[0]!.id]));
    const [{ count }] = (await db.sql`select count(*)::int as count from runs where job_id = ${jobs[0]!.id}`) as unknown as [{ count: number }];
    expect(count).toBe(200);
  });
});
