import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlAgent, createAgentToken, reassignLostRun } from "@/server/agents/admin";
import { handleAgentRequest } from "@/server/agents/http";
import { expireAgentLeases } from "@/server/agents/service";
import { withService } from "@/server/db/transactions";
import { requestRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, outcome, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { serveHandlers, type TestServer } from "../support/http-server";

let db: TestDatabase;
let server: TestServer;
let workspaceId: string;
let owner: TestUser, operator: TestUser, viewer: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  [owner, operator, viewer] = await Promise.all(["owner", "operator", "viewer"].map((label) => seedUser(db.sql, label))) as [TestUser, TestUser, TestUser];
  workspaceId = (await seedWorkspace(db.sql, owner, "Agents")).id;
  await addMember(db.sql, workspaceId, operator, "operator");
  await addMember(db.sql, workspaceId, viewer, "viewer");
  const route = (action: string) => (request: Request) => handleAgentRequest(request, action, async () => db.sql);
  server = await serveHandlers(
    Object.fromEntries(["register", "claim", "heartbeat", "finish", "shutdown"].map((action) => [`/api/agent/${action}`, route(action)])),
  );
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const actor = () => ({ userId: owner.id, email: owner.email });

async function newAgent(name: string) {
  return asUser(db.sql, owner, (tx) => createAgentToken(tx, { workspaceId, name, actor: actor() }));
}

async function call(action: string, token: string | null, body: unknown) {
  const response = await fetch(`${server.url}/api/agent/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function queue(jobKey: string, params: Record<string, unknown> = {}) {
  const [job] = await db.sql<{ id: string }[]>`select id from jobs where workspace_id = ${workspaceId} and job_key = ${jobKey}`;
  return asUser(db.sql, operator, (tx) => requestRun(tx, { workspaceId, jobId: job!.id, params, actor: { userId: operator.id, email: operator.email } }));
}

describe("the agent API", () => {
  it("refuses a missing, malformed or unknown token with 401, and names the field of a bad body", async () => {
    const { token } = await newAgent("validation");
    expect(await call("register", null, {})).toMatchObject({ status: 401 });
    expect(await call("register", "jba_nope", {})).toMatchObject({ status: 401 });
    expect(await call("register", `${token.slice(0, -2)}xx`, {})).toMatchObject({ status: 401 });
    expect(await call("register", token, "{not json")).toEqual({ status: 400, body: { error: "Invalid JSON body" } });
    expect(await call("register", token, { jobs: [{ job_key: "" }] })).toEqual({ status: 400, body: { error: "job_key is required", field: "jobs.0.job_key" } });
    expect(await call("claim", token, { capacity: -1 })).toMatchObject({ status: 400, body: { field: "capacity" } });
    expect(await call("finish", token, { run_id: "not-a-uuid", finished_at: new Date().toISOString() })).toMatchObject({ status: 400, body: { field: "run_id" } });
    expect(await call("shutdown", token, {})).toMatchObject({ status: 404 });
    expect(await call("finish", token, { run_id: crypto.randomUUID(), finished_at: new Date().toISOString() })).toMatchObject({ status: 404, body: { field: "run_id" } });
    // Nothing was written by any of these.
    const [jobs] = await db.sql<{ count: number }[]>`select count(*)::int as count from jobs where workspace_id = ${workspaceId}`;
    expect(jobs!.count).toBe(0);
  });

  it("creates declared jobs on register, and turns a reported job of the same key into a rerunnable agent job", async () => {
    await withService(db.sql, (tx) => tx`insert into jobs (workspace_id, job_key, title) values (${workspaceId}, 'nightly-report', 'Nightly report')`);
    const { token, id } = await newAgent("register");
    const answer = await call("register", token, {
      host: "win-pc", os: "win32 x64", version: "0.2.0", max_concurrency: 2, labels: ["windows"],
      jobs: [{ job_key: "nightly-report" }, { job_key: "cleanup", title: "Cleanup" }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ agent: { id, name: "register", drained: false }, heartbeat_ms: expect.any(Number), lease_seconds: expect.any(Number) });
    const jobs = await db.sql`select job_key, title, kind, agent_id from jobs where workspace_id = ${workspaceId} order by job_key`;
    expect(jobs).toEqual([
      { job_key: "cleanup", title: "Cleanup", kind: "agent", agent_id: id },
      { job_key: "nightly-report", title: "Nightly report", kind: "agent", agent_id: id },
    ]);
    const [agent] = await db.sql`select host, os, version, max_concurrency, labels from agents where id = ${id}`;
    expect(agent).toEqual({ host: "win-pc", os: "win32 x64", version: "0.2.0", max_concurrency: 2, labels: ["windows"] });
  });

  it("hands each queued run to exactly one of many agents polling at once, within each one's capacity", async () => {
    await withService(db.sql, (tx) => tx`
      insert into jobs (workspace_id, job_key, title, kind, agent_label) values (${workspaceId}, 'fleet-job', 'Fleet job', 'agent', 'fleet')`);
    const agents = await Promise.all(["fleet-1", "fleet-2", "fleet-3"].map((name) => newAgent(name)));
    for (const agent of agents) {
      await call("register", agent.token, { max_concurrency: 3, labels: ["fleet"], jobs: [{ job_key: "fleet-job" }] });
    }
    const queued = await Promise.all(Array.from({ length: 8 }, (_, i) => queue("fleet-job", { i })));
    const answers = await Promise.all(
      agents.flatMap((agent) => [1, 2].map(() => call("claim", agent.token, { capacity: 3, wait_ms: 0 }).then((answer) => ({ agent, answer })))),
    );
    const claims = answers.flatMap(({ agent, answer }) => (answer.body.runs as Array<{ run_id: string }>).map((run) => ({ agent: agent.id, run: run.run_id })));
    expect(claims.map((claim) => claim.run).sort()).toEqual(queued.map((run) => run.id).sort());
    for (const agent of agents) expect(claims.filter((claim) => claim.agent === agent.id).length).toBeLessThanOrEqual(3);
    const rows = await db.sql<{ status: string; external_id: string; id: string }[]>`
      select id, status, external_id from runs where id in ${db.sql(queued.map((run) => run.id))}`;
    expect(rows.every((row) => row.status === "running" && row.external_id === row.id)).toBe(true);
  });

  it("gives a drained agent nothing, and tells a heartbeat which of its runs to stop", async () => {
    const agent = await newAgent("drainable");
    await call("register", agent.token, { jobs: [{ job_key: "drain-job" }] });
    const run = await queue("drain-job");
    await asUser(db.sql, operator, (tx) => controlAgent(tx, { workspaceId, agentId: agent.id, control: "drain", actor: { userId: operator.id, email: operator.email } }));
    expect(await call("claim", agent.token, { wait_ms: 0 })).toEqual({ status: 200, body: { runs: [], drained: true } });
    await asUser(db.sql, operator, (tx) => controlAgent(tx, { workspaceId, agentId: agent.id, control: "resume", actor: { userId: operator.id, email: operator.email } }));
    const claimed = await call("claim", agent.token, { wait_ms: 0 });
    expect(claimed.body.runs).toEqual([{ run_id: run.id, job_key: "drain-job", params: {}, timeout_seconds: null }]);

    const beat = await call("heartbeat", agent.token, { load: 0.5, runs: [{ run_id: run.id, stdout_tail: "epoch 1/3\n", percent: 33 }] });
    expect(beat).toEqual({ status: 200, body: { cancel: [], drained: false } });
    const [live] = await db.sql`select log, progress_percent::float8 as percent from runs where id = ${run.id}`;
    expect(live).toEqual({ log: "epoch 1/3\n", percent: 33 });
    await db.sql`update runs set status = 'canceled', finished_at = now() where id = ${run.id}`;
    expect((await call("heartbeat", agent.token, { runs: [{ run_id: run.id }] })).body).toEqual({ cancel: [run.id], drained: false });
    const audit = await db.sql`select action from audit_log where target_id = ${agent.id} order by created_at`;
    expect(audit.map((row) => row.action)).toEqual(["agent.created", "agent.drained", "agent.resumed"]);
  });

  it("records a finish once, through the report path, and refuses the token once it is detached", async () => {
    const agent = await newAgent("finisher");
    await call("register", agent.token, { host: "gpu-1", jobs: [{ job_key: "train" }] });
    const run = await queue("train");
    await call("claim", agent.token, { wait_ms: 0 });
    const finish = { run_id: run.id, exit_code: 1, started_at: new Date(Date.now() - 5000).toISOString(), finished_at: new Date().toISOString(), stderr_tail: "CUDA out of memory", stdout_tail: "epoch 1" };
    expect(await call("finish", agent.token, finish)).toEqual({ status: 200, body: { status: "failed", duplicate: false } });
    expect(await call("finish", agent.token, finish)).toEqual({ status: 200, body: { status: "failed", duplicate: true } });
    const [row] = await db.sql`select status, exit_code, stderr_tail, log, host, message from runs where id = ${run.id}`;
    expect(row).toEqual({ status: "failed", exit_code: 1, stderr_tail: "CUDA out of memory", log: "epoch 1", host: "gpu-1", message: "exited with code 1" });
    const [incident] = await db.sql`select kind from incidents where last_run_id = ${run.id} and resolved_at is null`;
    expect(incident).toEqual({ kind: "failed" });
    const alerts = await db.sql`select kind from alerts where run_id = ${run.id}`;
    expect(alerts).toEqual([{ kind: "failure" }]);

    await asUser(db.sql, operator, (tx) => controlAgent(tx, { workspaceId, agentId: agent.id, control: "detach", actor: { userId: operator.id, email: operator.email } }));
    expect(await call("claim", agent.token, { wait_ms: 0 })).toEqual({
      status: 401,
      body: { error: "This agent's token has been revoked (the agent was detached)" },
    });
  });

  it("ends a run whose lease ran out as lost, with an incident and an alert, and lets an operator reassign it", async () => {
    const agent = await newAgent("mortal");
    await call("register", agent.token, { jobs: [{ job_key: "fragile" }] });
    const run = await queue("fragile", { shard: 3 });
    await call("claim", agent.token, { wait_ms: 0 });
    await db.sql`update runs set lease_expires_at = now() - interval '1 second' where id = ${run.id}`;
    // Any agent's poll in the workspace notices.
    await call("claim", agent.token, { wait_ms: 0 });
    const [lost] = await db.sql`select status, message from runs where id = ${run.id}`;
    expect(lost!.status).toBe("lost");
    expect(lost!.message).toMatch(/^Lost: agent mortal stopped answering/);
    const [incident] = await db.sql`select kind from incidents where last_run_id = ${run.id}`;
    expect(incident).toEqual({ kind: "lost" });
    expect(await db.sql`select kind, detail from alerts where run_id = ${run.id}`).toEqual([{ kind: "failure", detail: { status: "lost" } }]);

    const again = await asUser(db.sql, operator, (tx) => reassignLostRun(tx, { workspaceId, runId: run.id, actor: { userId: operator.id, email: operator.email } }));
    const [requeued] = await db.sql`select status, trigger, rerun_of, params from runs where id = ${again.id}`;
    expect(requeued).toEqual({ status: "queued", trigger: "rerun", rerun_of: run.id, params: { shard: 3 } });
    const claimed = await call("claim", agent.token, { wait_ms: 0 });
    expect((claimed.body.runs as Array<{ run_id: string }>).map((r) => r.run_id)).toEqual([again.id]);
  });
});

describe("what a script prints", () => {
  // PostgreSQL text and jsonb refuse NUL, and jsonb a lone surrogate: a script's output must not
  // cost its heartbeats (a false "lost") or its finish.
  it("never costs a register, a heartbeat or a finish: NUL is dropped and a lone surrogate replaced", async () => {
    const agent = await newAgent("noisy");
    const registered = await call("register", agent.token, { host: "box\u0000one", os: "linux\ud800", jobs: [{ job_key: "noisy-job", title: "Noisy\u0000 job\udc00" }] });
    expect(registered.status).toBe(200);
    expect(await db.sql`select host, os from agents where id = ${agent.id}`).toEqual([{ host: "boxone", os: "linux\ufffd" }]);
    expect(await db.sql`select title from jobs where workspace_id = ${workspaceId} and job_key = 'noisy-job'`).toEqual([{ title: "Noisy job\ufffd" }]);
    const run = await queue("noisy-job");
    await call("claim", agent.token, { wait_ms: 0 });

    const beat = await call("heartbeat", agent.token, { runs: [{ run_id: run.id, stdout_tail: "a\u0000b \ud83d", stderr_tail: "warn\u0000", stage: "st\u0000age", message: "m\udc00" }] });
    expect(beat).toEqual({ status: 200, body: { cancel: [], drained: false } });
    const [live] = await db.sql`select status, log from runs where id = ${run.id}`;
    expect(live).toEqual({ status: "running", log: "ab \ufffd" });

    const finished = await call("finish", agent.token, {
      run_id: run.id, exit_code: 0, finished_at: new Date().toISOString(),
      stdout_tail: "before\u0000after\n\ud800", stderr_tail: "e\u0000rr", message: "done\u0000",
    });
    expect(finished).toEqual({ status: 200, body: { status: "succeeded", duplicate: false } });
    const [row] = await db.sql`select status, log, stderr_tail from runs where id = ${run.id}`;
    expect(row).toEqual({ status: "succeeded", log: "beforeafter\n\ufffd", stderr_tail: "err" });
  });
});

describe("a hub outage longer than the lease", () => {
  it("brings a lost run back when its agent speaks for it again, unless it was reassigned", async () => {
    const agent = await newAgent("survivor");
    await call("register", agent.token, { max_concurrency: 2, jobs: [{ job_key: "long-train" }] });
    const kept = await queue("long-train");
    const reassigned = await queue("long-train");
    await call("claim", agent.token, { capacity: 2, wait_ms: 0 });
    await db.sql`update runs set lease_expires_at = now() - interval '1 second' where id in ${db.sql([kept.id, reassigned.id])}`;
    await withService(db.sql, (tx) => expireAgentLeases(tx, workspaceId));
    expect((await db.sql`select status from runs where id in ${db.sql([kept.id, reassigned.id])}`).map((row) => row.status)).toEqual(["lost", "lost"]);
    await asUser(db.sql, operator, (tx) => reassignLostRun(tx, { workspaceId, runId: reassigned.id, actor: { userId: operator.id, email: operator.email } }));

    const beat = await call("heartbeat", agent.token, { runs: [{ run_id: kept.id, stdout_tail: "epoch 9" }, { run_id: reassigned.id }] });
    expect(beat.body).toEqual({ cancel: [reassigned.id], drained: false });
    const [back] = await db.sql`select status, finished_at, log from runs where id = ${kept.id}`;
    expect(back).toEqual({ status: "running", finished_at: null, log: "epoch 9" });
    const [incident] = await db.sql`select resolved_at from incidents where first_run_id = ${kept.id}`;
    expect(incident!.resolved_at).not.toBeNull();
    expect((await db.sql`select kind from alerts where run_id = ${kept.id} order by created_at`).map((row) => row.kind)).toEqual(["failure", "recovery"]);

    const finished = await call("finish", agent.token, { run_id: kept.id, exit_code: 0, finished_at: new Date().toISOString() });
    expect(finished.body).toEqual({ status: "succeeded", duplicate: false });
    expect((await call("finish", agent.token, { run_id: reassigned.id, exit_code: 0, finished_at: new Date().toISOString() })).body).toEqual({ status: "lost", duplicate: true });
  });
});

describe("agents under RLS", () => {
  it("lets admins create tokens and operators drain and detach, refuses viewers, and never shows a hash", async () => {
    const agent = await newAgent("guarded");
    const asViewer = (statement: string) => asUser(db.sql, viewer, (tx) => outcome(tx, (sp) => sp.unsafe(statement, [agent.id])));
    expect(await asViewer("update agents set drained = true where id = $1 returning id")).toBe("ok");
    const [still] = await db.sql`select drained from agents where id = ${agent.id}`;
    expect(still!.drained).toBe(false);
    await expect(
      asUser(db.sql, viewer, (tx) => controlAgent(tx, { workspaceId, agentId: agent.id, control: "drain", actor: { userId: viewer.id, email: viewer.email } })),
    ).rejects.toThrow("Only operators and admins can control agents.");
    await expect(asUser(db.sql, operator, (tx) => createAgentToken(tx, { workspaceId, name: "sneaky", actor: { userId: operator.id, email: operator.email } }))).rejects.toThrow(
      "Only admins can create agent tokens.",
    );
    expect(await asUser(db.sql, owner, (tx) => outcome(tx, (sp) => sp`select secret_hash from agents where id = ${agent.id}`))).toBe("42501");
    expect(await asUser(db.sql, operator, (tx) => outcome(tx, (sp) => sp`update agents set secret_hash = 'mine' where id = ${agent.id}`))).toBe("42501");
    await asUser(db.sql, operator, (tx) => controlAgent(tx, { workspaceId, agentId: agent.id, control: "detach", actor: { userId: operator.id, email: operator.email } }));
    expect(await asUser(db.sql, owner, (tx) => outcome(tx, (sp) => sp`update agents set revoked_at = null where id = ${agent.id}`))).toBe("42501");
  });
});
