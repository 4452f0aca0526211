import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatDuration } from "@/lib/time";
import { withService } from "@/server/db/transactions";
import { executeRunInline } from "@/server/execution/run-loop";
import { cancelRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { startTargetServer } from "../support/target-server";
import { waitFor } from "../support/wait";

let db: TestDatabase;
let target: Awaited<ReturnType<typeof startTargetServer>>;
let workspaceId: string;
let operator: TestUser;
let flakyFailures = 0;
const slack: Array<Record<string, unknown>> = [];

const noWait = async () => {};

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  operator = await seedUser(db.sql, "operator");
  workspaceId = (await seedWorkspace(db.sql, owner, "Exec")).id;
  await addMember(db.sql, workspaceId, operator, "operator");
  target = await startTargetServer({
    "/ok": (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"exported": 42}'),
    "/fail": (_req, res) => res.writeHead(500).end("database is locked"),
    "/bad-request": (_req, res) => res.writeHead(400).end("missing field"),
    "/flaky": (_req, res) => {
      if (flakyFailures > 0) {
        flakyFailures--;
        res.writeHead(503).end("warming up");
      } else res.writeHead(200).end("ok now");
    },
    "/echo": (req, res, body) => {
      received.push({ method: req.method ?? "", url: req.url ?? "", contentType: req.headers["content-type"] ?? null, body });
      res.writeHead(200).end("ok");
    },
    // Never answers: only a timeout or a cancel ends it.
    "/hang": () => {},
    "/slack": (_req, res, body) => {
      slack.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end("ok");
    },
  });
  await withService(db.sql, (tx) => tx`
    insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspaceId}, ${`${target.url}/slack`})`);
});

afterAll(async () => {
  await target?.close();
  await db?.close();
});

beforeEach(() => {
  slack.length = 0;
});

const received: Array<{ method: string; url: string; contentType: string | null; body: string }> = [];

type JobOptions = { method?: "GET" | "POST" | "DELETE"; path?: string; timeout?: number; retries?: number; policy?: "allow" | "forbid" | "replace"; kind?: "http" | "task"; task?: string };

async function createJob(options: JobOptions = {}): Promise<string> {
  const key = `job-${Math.random().toString(36).slice(2, 10)}`;
  const kind = options.kind ?? "http";
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, http_target, task_name, timeout_seconds, max_retries, concurrency_policy)
    values (${workspaceId}, ${key}, ${`Job ${key}`}, ${kind},
            ${kind === "http" ? tx.json({ method: options.method ?? "POST", url: `${target.url}${options.path ?? "/ok"}` }) : null},
            ${options.task ?? null}, ${options.timeout ?? null}, ${options.retries ?? 0}, ${options.policy ?? "allow"})
    returning id`);
  return job!.id;
}

async function queueRun(jobId: string, params: Record<string, unknown> = {}): Promise<string> {
  const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, trigger, params) values (${workspaceId}, ${jobId}, 'manual', ${tx.json(params as never)})
    returning id`);
  return run!.id;
}

async function runRow(runId: string) {
  const [run] = await db.sql`
    select status, attempt, exit_code, message, log, stderr_tail, current_stage, progress_percent::float8 as percent, stages
    from runs where id = ${runId}`;
  return run!;
}

async function attemptsOf(runId: string) {
  return db.sql<{ attempt: number; status: string; message: string }[]>`
    select attempt, status, message from run_attempts where run_id = ${runId} order by attempt`;
}

async function openIncident(jobId: string) {
  const [incident] = await db.sql`select kind, failure_count from incidents where job_id = ${jobId} and resolved_at is null`;
  return incident;
}

async function waitForStatus(runId: string, status: string) {
  for (let i = 0; i < 100; i++) {
    if ((await runRow(runId)).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} never reached ${status}`);
}

// Alerts go through the outbox and the in-process notifier the server runs, as in production.
// Delivery is in the background, so an earlier test's alert may land late: look at one job's.
async function slackAbout(jobId: string, count: number): Promise<Array<{ text: string }>> {
  const [job] = await db.sql<{ job_key: string }[]>`select job_key from jobs where id = ${jobId}`;
  const about = () => slack.filter((message) => JSON.stringify(message).includes(`\`${job!.job_key}\``)) as Array<{ text: string }>;
  await waitFor(`${count} Slack message(s) about ${job!.job_key}`, () => about().length >= count);
  return about();
}

describe("executing http jobs", () => {
  it("calls the target with the run's parameters and records the success", async () => {
    const jobId = await createJob({ path: "/ok" });
    const runId = await queueRun(jobId, { day: "2026-11-23" });
    const result = await executeRunInline(db.sql, runId, { wait: noWait });
    expect(result.finished).toMatchObject({ status: "succeeded" });
    expect(await runRow(runId)).toMatchObject({ status: "succeeded", attempt: 1, exit_code: 200, message: "HTTP 200" });
    expect((await runRow(runId)).log).toContain('{"exported": 42}');
    expect(target.requests.at(-1)).toMatchObject({ path: "/ok", method: "POST", body: '{"day":"2026-11-23"}' });
    const [job] = await db.sql`select last_run_id from jobs where id = ${jobId}`;
    expect(job!.last_run_id).toBe(runId);
  });

  it("sends a GET or DELETE job's parameters as its query string, with no body, and a POST's as JSON", async () => {
    for (const method of ["GET", "DELETE"] as const) {
      const jobId = await createJob({ method, path: "/echo?source=jobboard" });
      await executeRunInline(db.sql, await queueRun(jobId, { day: "2026-11-23", limit: 10, dry: false, region: "ap-northeast-1 & eu" }), { wait: noWait });
      const request = received.at(-1)!;
      expect(request.method).toBe(method);
      const url = new URL(request.url, "http://target");
      expect(Object.fromEntries(url.searchParams)).toEqual({ source: "jobboard", day: "2026-11-23", limit: "10", dry: "false", region: "ap-northeast-1 & eu" });
      expect(request).toMatchObject({ body: "", contentType: null });
    }
    const post = await createJob({ method: "POST", path: "/echo" });
    await executeRunInline(db.sql, await queueRun(post, { day: "2026-11-23" }), { wait: noWait });
    expect(received.at(-1)).toMatchObject({ method: "POST", url: "/echo", contentType: "application/json", body: '{"day":"2026-11-23"}' });
  });

  it("retries a failure with backoff and records both attempts", async () => {
    flakyFailures = 1;
    const jobId = await createJob({ path: "/flaky", retries: 2 });
    const runId = await queueRun(jobId);
    const waits: number[] = [];
    await executeRunInline(db.sql, runId, { wait: async (ms) => void waits.push(ms) });
    expect(await attemptsOf(runId)).toEqual([
      { attempt: 1, status: "failed", message: "HTTP 503 Service Unavailable" },
      { attempt: 2, status: "succeeded", message: "HTTP 200" },
    ]);
    expect(waits).toEqual([2000]);
    expect(await runRow(runId)).toMatchObject({ status: "succeeded", attempt: 2 });
  });

  it("gives up after its retries, opens an incident and tells Slack, with the response body as stderr", async () => {
    const jobId = await createJob({ path: "/fail", retries: 1 });
    const runId = await queueRun(jobId);
    await executeRunInline(db.sql, runId, { wait: noWait });
    expect((await attemptsOf(runId)).map((a) => a.status)).toEqual(["failed", "failed"]);
    expect(await runRow(runId)).toMatchObject({ status: "failed", exit_code: 500, stderr_tail: "database is locked" });
    expect(await openIncident(jobId)).toMatchObject({ kind: "failed", failure_count: 1 });
    const messages = await slackAbout(jobId, 1);
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0])).toContain("database is locked");
    // An HTTP job's code is its response's status, not an exit code.
    expect(JSON.stringify(messages[0])).toContain(" · HTTP 500");
    expect(JSON.stringify(messages[0])).not.toContain("exit code");
  });

  it("tells Slack an HTTP job recovered: for how long it was failing and how often, never the failure's words", async () => {
    const jobId = await createJob({ path: "/fail" });
    await executeRunInline(db.sql, await queueRun(jobId), { wait: noWait });
    await executeRunInline(db.sql, await queueRun(jobId), { wait: noWait });
    expect(await db.sql`select failure_count, last_message from incidents where job_id = ${jobId}`).toEqual([
      { failure_count: 2, last_message: "HTTP 500 Internal Server Error" },
    ]);
    await withService(db.sql, (tx) => tx`update jobs set http_target = ${tx.json({ method: "POST", url: `${target.url}/ok` })} where id = ${jobId}`);
    await executeRunInline(db.sql, await queueRun(jobId), { wait: noWait });
    const [, recovery] = await slackAbout(jobId, 2);
    const [incident] = await db.sql<{ opened_at: Date; resolved_at: Date }[]>`select opened_at, resolved_at from incidents where job_id = ${jobId}`;
    const brokenFor = incident!.resolved_at.getTime() - incident!.opened_at.getTime();
    const text = JSON.stringify(recovery);
    expect(text).toContain("recovered after failing 2 times");
    expect(text).toContain(`failing for ${formatDuration(brokenFor)} · 2 failures`);
    expect(text).not.toContain("Internal Server Error");
    expect(text).not.toContain("database is locked");
  });

  it("opens the incident of a job with a failure threshold of 2 at its second failure, and alerts only then", async () => {
    const jobId = await createJob({ path: "/fail" });
    await withService(db.sql, (tx) => tx`update jobs set failure_threshold = 2 where id = ${jobId}`);
    await executeRunInline(db.sql, await queueRun(jobId), { wait: noWait });
    expect(await openIncident(jobId)).toBeUndefined();
    expect(await db.sql`select 1 from alerts where job_id = ${jobId}`).toHaveLength(0);
    await executeRunInline(db.sql, await queueRun(jobId), { wait: noWait });
    expect(await openIncident(jobId)).toMatchObject({ kind: "failed", failure_count: 1 });
    expect(await slackAbout(jobId, 1)).toHaveLength(1);
  });

  it("does not retry a 4xx: the request itself is wrong", async () => {
    const jobId = await createJob({ path: "/bad-request", retries: 3 });
    const runId = await queueRun(jobId);
    await executeRunInline(db.sql, runId, { wait: noWait });
    expect(await attemptsOf(runId)).toHaveLength(1);
  });

  it("times out a hanging target: timed_out, incident opened, Slack told, the request aborted", async () => {
    const jobId = await createJob({ path: "/hang", timeout: 1 });
    const runId = await queueRun(jobId);
    await executeRunInline(db.sql, runId, { wait: noWait });
    expect(await runRow(runId)).toMatchObject({ status: "timed_out", message: "Timed out" });
    expect(await openIncident(jobId)).toMatchObject({ kind: "timed_out" });
    expect((await slackAbout(jobId, 1))[0]!.text).toContain("timed out");
    // The target sees the abort when the socket closes: wait for that, not for a fixed time.
    await expect.poll(() => target.requests.filter((r) => r.path === "/hang").at(-1)!.aborted).toBe(true);
  });

  it("cancels mid-run: the run ends canceled and the target's request is aborted", async () => {
    const jobId = await createJob({ path: "/hang", timeout: 60 });
    const runId = await queueRun(jobId);
    const arrived = target.nextRequest("/hang");
    const execution = executeRunInline(db.sql, runId, { wait: noWait });
    await arrived;
    await asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId, runId, actor: { userId: operator.id, email: operator.email } }));
    const result = await execution;
    expect(result.finished).toBeNull();
    expect((await runRow(runId)).status).toBe("canceled");
    expect((await attemptsOf(runId)).map((a) => a.status)).toEqual(["canceled"]);
    // The target sees the abort when the socket closes: wait for that, not for a fixed time.
    await expect.poll(() => target.requests.filter((r) => r.path === "/hang").at(-1)!.aborted).toBe(true);
  });

  it("executes a run once when it is dispatched twice at the same moment", async () => {
    const jobId = await createJob({ path: "/ok" });
    const runId = await queueRun(jobId);
    const before = target.requests.length;
    const [first, second] = await Promise.all([executeRunInline(db.sql, runId), executeRunInline(db.sql, runId)]);
    expect([first.claim.kind, second.claim.kind].sort()).toEqual(["claimed", "not-queued"]);
    expect(target.requests.length - before).toBe(1);
    expect(await attemptsOf(runId)).toHaveLength(1);
  });
});

describe("concurrency policies", () => {
  it("forbid: a run queued while another runs is skipped", async () => {
    const jobId = await createJob({ path: "/hang", timeout: 60, policy: "forbid" });
    const first = await queueRun(jobId);
    const arrived = target.nextRequest("/hang");
    const running = executeRunInline(db.sql, first, { wait: noWait });
    await arrived;
    const second = await queueRun(jobId);
    const result = await executeRunInline(db.sql, second);
    expect(result.claim).toMatchObject({ kind: "skipped" });
    expect(await runRow(second)).toMatchObject({ status: "skipped", message: expect.stringContaining("forbid") });
    await asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId, runId: first, actor: { userId: operator.id, email: operator.email } }));
    await running;
  });

  it("replace: a new run cancels the running one, whose request is aborted, and runs itself", async () => {
    const jobId = await createJob({ path: "/hang", timeout: 60, policy: "replace" });
    const first = await queueRun(jobId);
    const arrived = target.nextRequest("/hang");
    const running = executeRunInline(db.sql, first, { wait: noWait });
    await arrived;
    const second = await queueRun(jobId);
    const secondArrived = target.nextRequest("/hang");
    const replacing = executeRunInline(db.sql, second, { wait: noWait });
    await secondArrived;
    await waitForStatus(first, "canceled");
    await running;
    expect((await runRow(first)).message).toContain(`Replaced by run ${second}`);
    expect(target.requests.filter((r) => r.path === "/hang").at(-2)!.aborted).toBe(true);
    expect((await runRow(second)).status).toBe("running");
    await asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId, runId: second, actor: { userId: operator.id, email: operator.email } }));
    await replacing;
  });
});

describe("executing task jobs", () => {
  it("walks the demo pipeline's stages with progress to the end", async () => {
    const jobId = await createJob({ kind: "task", task: "demo-pipeline" });
    const runId = await queueRun(jobId, { step_ms: 5 });
    await executeRunInline(db.sql, runId, { wait: noWait });
    expect(await runRow(runId)).toMatchObject({
      status: "succeeded",
      current_stage: "Persist",
      percent: 100,
      message: "All 8 stages done",
      stages: ["Fetch", "Preprocess", "Dedup", "Genre", "Select", "Evidence", "Dispatch", "Persist"],
    });
  });

  it("records a task's failure with its stack, and refuses bad parameters without retrying", async () => {
    const jobId = await createJob({ kind: "task", task: "demo-pipeline", retries: 2 });
    const failing = await queueRun(jobId, { step_ms: 1, fail_at: "Dedup" });
    await executeRunInline(db.sql, failing, { wait: noWait });
    expect(await runRow(failing)).toMatchObject({ status: "failed", current_stage: "Dedup", message: "Dedup failed (asked to by fail_at)" });
    expect((await runRow(failing)).stderr_tail).toContain("demo-pipeline");
    expect(await attemptsOf(failing)).toHaveLength(3);

    const invalid = await queueRun(jobId, { step_ms: "fast" });
    await executeRunInline(db.sql, invalid, { wait: noWait });
    expect(await runRow(invalid)).toMatchObject({ status: "failed", message: expect.stringContaining("Invalid parameters: step_ms") });
    expect(await attemptsOf(invalid)).toHaveLength(1);
  });

  it("resolves the incident when the job succeeds again, and tells Slack it recovered", async () => {
    const jobId = await createJob({ kind: "task", task: "fail-on-demand" });
    await executeRunInline(db.sql, await queueRun(jobId, { should_fail: true }), { wait: noWait });
    expect(await openIncident(jobId)).toMatchObject({ kind: "failed" });
    await executeRunInline(db.sql, await queueRun(jobId, { should_fail: false }), { wait: noWait });
    expect(await openIncident(jobId)).toBeUndefined();
    expect((await slackAbout(jobId, 2)).map((message) => message.text)).toEqual([
      expect.stringContaining("failed"),
      expect.stringContaining("recovered"),
    ]);
  });
});
