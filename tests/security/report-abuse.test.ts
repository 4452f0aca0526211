import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentToken } from "@/server/agents/admin";
import { handleAgentRequest } from "@/server/agents/http";
import { handleListJobs } from "@/server/api/handlers";
import { withService } from "@/server/db/transactions";
import { handleJobReport, type ReportHandlerDeps } from "@/server/ingest/http";
import { requestRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { addMember, asUser, seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { serveHandlers, type TestServer } from "../integration/support/http-server";

const DAY_MS = 24 * 60 * 60 * 1000;

let db: TestDatabase;
let server: TestServer;
let owner: TestUser, operator: TestUser;
let workspaceId: string, quotaWorkspaceId: string;
let reportKey: string, readKey: string, quotaKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  operator = await seedUser(db.sql, "operator");
  workspaceId = (await seedWorkspace(db.sql, owner, "Reports")).id;
  quotaWorkspaceId = (await seedWorkspace(db.sql, owner, "Quota")).id;
  await addMember(db.sql, workspaceId, operator, "operator");
  reportKey = (await seedIngestKey(db.sql, workspaceId, "report")).token;
  readKey = (await seedIngestKey(db.sql, workspaceId, "read")).token;
  quotaKey = (await seedIngestKey(db.sql, quotaWorkspaceId, "report")).token;
  const getSql = async () => db.sql;
  const reports = (deps: ReportHandlerDeps) => (request: Request) => handleJobReport(request, deps);
  server = await serveHandlers({
    "/api/monitor/job-report": reports({ getSql }),
    "/quota/job-report": reports({ getSql, maxReportedJobs: 2 }),
    "/api/v1/jobs": (request) => handleListJobs(request, { getSql }),
    ...Object.fromEntries(
      ["register", "claim", "finish"].map((action) => [`/api/agent/${action}`, (request: Request) => handleAgentRequest(request, action, getSql)]),
    ),
  });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Answer = { status: number; body: Record<string, unknown> };

async function post(path: string, token: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const report = (body: Record<string, unknown>, token = reportKey, path = "/api/monitor/job-report") => post(path, token, body);

const finish = (jobKey: string, overrides: Record<string, unknown> = {}) => ({
  job_key: jobKey,
  title: "Retitled by a report",
  status: "success",
  finished_at: new Date().toISOString(),
  ...overrides,
});

async function counts() {
  const [row] = await db.sql<{ jobs: number; runs: number }[]>`
    select (select count(*)::int from jobs) as jobs, (select count(*)::int from runs) as runs`;
  return row!;
}

async function jobOf(jobKey: string) {
  const [job] = await db.sql<{ id: string; title: string; kind: string }[]>`
    select id, title, kind from jobs where workspace_id = ${workspaceId} and job_key = ${jobKey}`;
  return job!;
}

describe("keys do what their scope says, and nothing else", () => {
  it("refuses a read key's report", async () => {
    const before = await counts();
    const answer = await report(finish("read-key-report"), readKey);
    expect(answer).toEqual({ status: 403, body: { error: "This ingest key can only read; use a report key to send reports" } });
    expect(await counts()).toEqual(before);
  });

  it("refuses a report key's read", async () => {
    const response = await fetch(`${server.url}/api/v1/jobs`, { headers: { authorization: `Bearer ${reportKey}` } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "This ingest key can only report; use a read key to read" });
    const allowed = await fetch(`${server.url}/api/v1/jobs`, { headers: { authorization: `Bearer ${readKey}` } });
    expect(allowed.status).toBe(200);
  });
});

describe("a report cannot change a job Jobboard runs itself", () => {
  beforeAll(async () => {
    await withService(db.sql, (tx) => tx`
      insert into jobs (workspace_id, job_key, title, kind, http_target, task_name, agent_label, created_by) values
        (${workspaceId}, 'runs-http', 'HTTP job', 'http', ${tx.json({ method: "POST", url: "https://example.test/", headers: {} })}, null, null, ${owner.id}),
        (${workspaceId}, 'runs-task', 'Task job', 'task', null, 'fail-on-demand', null, ${owner.id}),
        (${workspaceId}, 'runs-agent', 'Agent job', 'agent', null, null, 'gpu', ${owner.id})`);
  });

  it.each([
    ["runs-http", "http"],
    ["runs-task", "task"],
  ])("answers 409 to a report for %s, retitling nothing and resolving nothing", async (jobKey, kind) => {
    const job = await jobOf(jobKey);
    const [incident] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into incidents (workspace_id, job_id, kind) values (${workspaceId}, ${job.id}, 'failed') returning id`);
    const before = await counts();
    for (const body of [finish(jobKey), finish(jobKey, { run_id: "made-up" }), { event: "start", job_key: jobKey, run_id: "made-up-too" }]) {
      const answer = await report(body);
      expect(answer).toEqual({
        status: 409,
        body: { error: `job_key ${jobKey} is run by Jobboard (${kind}); reports cannot change it`, field: "job_key" },
      });
    }
    expect(await counts()).toEqual(before);
    expect((await jobOf(jobKey)).title).not.toBe("Retitled by a report");
    const [still] = await db.sql`select resolved_at from incidents where id = ${incident!.id}`;
    expect(still).toEqual({ resolved_at: null });
    await withService(db.sql, (tx) => tx`delete from incidents where id = ${incident!.id}`);
  });

  it("lets an agent job's script keep reporting the runs its own scheduler starts, without retitling the job", async () => {
    const answer = await report(finish("runs-agent"));
    expect(answer.status).toBe(200);
    expect((await jobOf("runs-agent")).title).toBe("Agent job");
  });

  it("is documented as the code does it: 409 for http and task jobs, an agent job's reports accepted", () => {
    const docs = readFileSync("docs/report-api.md", "utf8");
    const conflictRow = docs.split("\n").find((line) => line.startsWith("| 409 |"))!;
    expect(conflictRow).toContain("`http`, `task`; not `agent`");
    expect(docs).toContain("An `agent` job's reports are accepted");
    expect(readFileSync("docs/agent-protocol.md", "utf8")).not.toMatch(/agent job's key that[\s\S]{0,120}refused with `409`/);
  });

  it("still takes an agent's script reporting the run its agent claimed, and the agent's own finish", async () => {
    const agent = await asUser(db.sql, owner, (tx) =>
      createAgentToken(tx, { workspaceId, name: "reporter-agent", actor: { userId: owner.id, email: owner.email } }),
    );
    expect((await post("/api/agent/register", agent.token, { jobs: [{ job_key: "agent-script" }] })).status).toBe(200);
    const job = await jobOf("agent-script");
    expect(job.kind).toBe("agent");
    const queueRun = () =>
      asUser(db.sql, operator, (tx) => requestRun(tx, { workspaceId, jobId: job.id, params: {}, actor: { userId: operator.id, email: operator.email } }));

    const scripted = await queueRun();
    expect((await post("/api/agent/claim", agent.token, { wait_ms: 0 })).body.runs).toHaveLength(1);
    const own = await report(finish("agent-script", { run_id: scripted.id, title: "Agent script" }));
    expect(own).toMatchObject({ status: 200, body: { success: true, run_id: scripted.id, duplicate: false } });

    const finished = await queueRun();
    expect((await post("/api/agent/claim", agent.token, { wait_ms: 0 })).body.runs).toHaveLength(1);
    const agentFinish = await post("/api/agent/finish", agent.token, { run_id: finished.id, exit_code: 0, finished_at: new Date().toISOString() });
    expect(agentFinish).toEqual({ status: 200, body: { status: "succeeded", duplicate: false } });
  });
});

describe("reports create jobs within the workspace's quota", () => {
  it("refuses a new job_key past the quota with 403, while existing jobs keep reporting", async () => {
    for (const jobKey of ["quota-1", "quota-2"]) {
      expect((await report(finish(jobKey), quotaKey, "/quota/job-report")).status).toBe(200);
    }
    const past = await report(finish("quota-3"), quotaKey, "/quota/job-report");
    expect(past.status).toBe(403);
    expect(past.body.error).toMatch(/already has 2 jobs created by reports/);
    const [row] = await db.sql`select count(*)::int as count from jobs where workspace_id = ${quotaWorkspaceId}`;
    expect(row).toEqual({ count: 2 });
    expect((await report(finish("quota-1"), quotaKey, "/quota/job-report")).status).toBe(200);
  });
});

describe("dates PostgreSQL cannot store, or far ahead of the clock, are the reporter's mistake", () => {
  const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

  it.each([
    ["a finish far in the future", { finished_at: "9999-12-31T23:59:59Z" }, "finished_at", /more than a day ahead/],
    ["a finish two days ahead", { finished_at: ahead(2 * DAY_MS) }, "finished_at", /more than a day ahead/],
    ["a finish before 1970", { finished_at: "0001-01-01T00:00:00Z" }, "finished_at", /after 1970-01-01/],
    ["year zero", { finished_at: "0000-01-01T00:00:00Z" }, "finished_at", /after 1970-01-01/],
    ["a day the month lacks", { finished_at: "2026-02-30T00:00:00Z" }, "finished_at", /must be valid ISO 8601/],
    ["a start far in the future", { started_at: "9999-01-01T00:00:00Z" }, "started_at", /more than a day ahead/],
    ["a duration reaching before 1970", { duration_ms: Number.MAX_SAFE_INTEGER }, "duration_ms", /before 1970-01-01/],
  ])("answers 400 naming the field to %s", async (_, overrides, field, message) => {
    const before = await counts();
    const answer = await report(finish(`dates-${field}`, overrides));
    expect(answer.status).toBe(400);
    expect(answer.body.field).toBe(field);
    expect(answer.body.error).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it("answers 400 to a start event dated far ahead", async () => {
    const answer = await report({ event: "start", job_key: "dates-start", run_id: "s-1", started_at: ahead(3 * DAY_MS) });
    expect(answer).toMatchObject({ status: 400, body: { field: "started_at" } });
  });

  it("still takes a clock a little ahead of the server's", async () => {
    expect((await report(finish("dates-skew", { finished_at: ahead(60 * 60 * 1000) }))).status).toBe(200);
  });

  it("answers an agent's finish with such dates with 400 too", async () => {
    const agent = await asUser(db.sql, owner, (tx) =>
      createAgentToken(tx, { workspaceId, name: "clock-agent", actor: { userId: owner.id, email: owner.email } }),
    );
    const runId = crypto.randomUUID();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ finished_at: "9999-12-31T23:59:59Z" }, "finished_at"],
      [{ finished_at: "0001-01-01T00:00:00Z" }, "finished_at"],
      [{ finished_at: new Date().toISOString(), started_at: "9999-12-31T23:59:59Z" }, "started_at"],
      [{ finished_at: new Date(Date.now() - 60_000).toISOString(), started_at: new Date().toISOString() }, "started_at"],
      [{ finished_at: new Date().toISOString(), duration_ms: Number.MAX_SAFE_INTEGER }, "duration_ms"],
    ];
    for (const [dates, field] of cases) {
      const answer = await post("/api/agent/finish", agent.token, { run_id: runId, exit_code: 0, ...dates });
      expect(answer.status, JSON.stringify(dates)).toBe(400);
      expect(answer.body.field).toBe(field);
    }
  });
});
