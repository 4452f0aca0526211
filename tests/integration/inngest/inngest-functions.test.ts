import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRun } from "@/inngest/functions/execute-run";
import { deliverAlerts } from "@/inngest/functions/notify";
import { scheduleTick } from "@/inngest/functions/schedule-tick";
import { provideDatabase } from "@/server/db/client";
import { withService } from "@/server/db/transactions";
import { runCancelRequested } from "@/server/events";
import { settleRunEnd } from "@/server/incidents/run-end";
import { cancelRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { startTargetServer } from "../support/target-server";

// Inngest Cloud and its dev server cannot run here: @inngest/test drives the real functions,
// step by step, against the real database and a real HTTP target.
let db: TestDatabase;
let target: Awaited<ReturnType<typeof startTargetServer>>;
let workspaceId: string;
let operator: TestUser;
let flakyFailures = 0;
const slack: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  provideDatabase(db.sql);
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Inngest")).id;
  operator = await seedUser(db.sql, "operator");
  await addMember(db.sql, workspaceId, operator, "operator");
  target = await startTargetServer({
    "/ok": (_req, res) => res.writeHead(200).end("done"),
    "/flaky": (_req, res) => {
      if (flakyFailures-- > 0) res.writeHead(502).end("bad gateway");
      else res.writeHead(200).end("ok");
    },
    "/slow": (_req, res) => void setTimeout(() => res.writeHead(200).end("slow but fine"), 1500),
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

async function queuedRun(
  path: string,
  retries = 0,
  options: { timeout?: number; policy?: "allow" | "forbid" | "replace"; jobId?: string } = {},
): Promise<string> {
  return withService(db.sql, async (tx) => {
    const [job] = options.jobId
      ? [{ id: options.jobId }]
      : await tx<{ id: string }[]>`
          insert into jobs (workspace_id, job_key, title, kind, http_target, max_retries, timeout_seconds, concurrency_policy)
          values (${workspaceId}, ${`inngest-${Math.random().toString(36).slice(2, 8)}`}, 'Inngest job', 'http',
                  ${tx.json({ method: "POST", url: `${target.url}${path}` })}, ${retries}, ${options.timeout ?? null},
                  ${options.policy ?? "allow"})
          returning id`;
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, trigger) values (${workspaceId}, ${job!.id}, 'manual') returning id`;
    return run!.id;
  });
}

const requested = (runId: string): [{ name: string; data: Record<string, unknown> }] => [
  { name: "jobboard/run.requested", data: { runId, workspaceId } },
];

// Sending events needs Inngest itself; the sends are mocked as steps and asserted as calls.
// Each engine gets its own mock objects: the engine memoizes through them.
const sendSteps = () => ["cancel-replaced", "dispatch", "alert"].map((id) => ({ id, handler() {} }));

describe("execute-run (Inngest)", () => {
  it("claims, executes and records a run; a success with nothing to recover from alerts nobody", async () => {
    const runId = await queuedRun("/ok");
    const engine = new InngestTestEngine({ function: executeRun, steps: sendSteps() });
    const { result, ctx } = await engine.execute({ events: requested(runId) });
    expect(result).toMatchObject({ finished: { runId, status: "succeeded" }, attempts: 1 });
    expect(ctx.step.sendEvent).not.toHaveBeenCalledWith("alert", expect.anything());
    const [run] = await db.sql`select status, attempt from runs where id = ${runId}`;
    expect(run).toEqual({ status: "succeeded", attempt: 1 });
  });

  it("retries after a durable backoff sleep, with both attempts on the run", async () => {
    flakyFailures = 1;
    const runId = await queuedRun("/flaky", 1);
    const engine = new InngestTestEngine({ function: executeRun, steps: sendSteps() });
    const { result, ctx } = await engine.execute({ events: requested(runId), steps: [...sendSteps(), { id: "backoff-1", handler() {} }] });
    expect(result).toMatchObject({ finished: { status: "succeeded" }, attempts: 2 });
    expect(ctx.step.sleep).toHaveBeenCalledWith("backoff-1", "2s");
    const attempts = await db.sql`select attempt, status from run_attempts where run_id = ${runId} order by attempt`;
    expect(attempts).toEqual([{ attempt: 1, status: "failed" }, { attempt: 2, status: "succeeded" }]);
  });

  it("executes a run once when its event is delivered twice", async () => {
    const runId = await queuedRun("/ok");
    const before = target.requests.length;
    // Two deliveries are two executions with no shared memo: two engines.
    await new InngestTestEngine({ function: executeRun, steps: sendSteps() }).execute({ events: requested(runId) });
    const { result } = await new InngestTestEngine({ function: executeRun, steps: sendSteps() }).execute({ events: requested(runId) });
    expect(result).toEqual({ kind: "not-queued" });
    expect(target.requests.length - before).toBe(1);
  });

  it("times out a hanging target: timed_out, incident opened, the request aborted, and Slack told", async () => {
    const runId = await queuedRun("/hang", 0, { timeout: 1 });
    const engine = new InngestTestEngine({ function: executeRun, steps: sendSteps() });
    const { result, ctx } = await engine.execute({ events: requested(runId) });
    expect(result).toMatchObject({ finished: { runId, status: "timed_out" }, attempts: 1 });
    const [run] = await db.sql<{ status: string; job_id: string }[]>`select status, job_id from runs where id = ${runId}`;
    expect(run!.status).toBe("timed_out");
    const incidents = await db.sql`select kind from incidents where job_id = ${run!.job_id} and resolved_at is null`;
    expect(incidents.map((incident) => incident.kind)).toEqual(["timed_out"]);
    expect(target.requests.filter((request) => request.path === "/hang").at(-1)!.aborted).toBe(true);

    // execute-run wrote the alert with the run and announced it; deliver-alerts sends it.
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("alert", { name: "jobboard/alerts.queued", data: {} });
    slack.length = 0;
    const delivered = await new InngestTestEngine({ function: deliverAlerts }).execute({ events: [{ name: "jobboard/alerts.queued", data: {} }] });
    expect(delivered.result).toMatchObject({ sent: 1 });
    expect((slack[0] as { text: string }).text).toContain("timed out");
  });

  it("stops an attempt canceled mid-run by an operator: the run ends canceled and the target's request is aborted", async () => {
    const runId = await queuedRun("/hang");
    const engine = new InngestTestEngine({ function: executeRun, steps: sendSteps() });
    const execution = engine.execute({ events: requested(runId) });
    await expect.poll(async () => (await db.sql`select status from runs where id = ${runId}`)[0]!.status).toBe("running");
    await expect.poll(() => target.requests.some((request) => request.path === "/hang" && !request.aborted)).toBe(true);
    // What the Cancel button does: cancelRun as the operator, under RLS, then the cancel event.
    await asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId, runId, actor: { userId: operator.id, email: operator.email } }));
    // Inngest stops the function between steps on that event: its cancelOn matches the run's id
    // in the event the function started with. (Inngest itself cannot run here.)
    const announced = runCancelRequested(runId);
    expect(executeRun.opts.cancelOn).toEqual([{ event: announced.name, match: "data.runId" }]);
    expect(announced.data.runId).toBe(requested(runId)[0].data.runId);
    // The attempt in flight notices the canceled row itself and aborts its call.
    const { result } = await execution;
    expect(result).toMatchObject({ finished: null });
    const [run] = await db.sql`select status, message, canceled_by from runs where id = ${runId}`;
    expect(run).toEqual({ status: "canceled", message: `Canceled by ${operator.email}`, canceled_by: operator.id });
    expect(target.requests.filter((request) => request.path === "/hang").at(-1)!.aborted).toBe(true);
  });

  it("forbid: skips a run while another run of the job is running", async () => {
    const firstRunId = await queuedRun("/ok", 0, { policy: "forbid" });
    const [running] = await db.sql<{ job_id: string }[]>`
      update runs set status = 'running', started_at = now() where id = ${firstRunId} returning job_id`;
    const jobId = running!.job_id;
    const runId = await queuedRun("/ok", 0, { jobId });
    const { result } = await new InngestTestEngine({ function: executeRun, steps: sendSteps() }).execute({ events: requested(runId) });
    expect(result).toMatchObject({ kind: "skipped", runId });
    const [run] = await db.sql`select status, message from runs where id = ${runId}`;
    expect(run).toEqual({ status: "skipped", message: "Skipped: another run of this job was still running (concurrency policy: forbid)" });
  });

  it("replace: cancels the running run (and tells its function to stop), then runs itself", async () => {
    const oldRunId = await queuedRun("/slow", 0, { policy: "replace" });
    const [running] = await db.sql<{ job_id: string }[]>`
      update runs set status = 'running', started_at = now() where id = ${oldRunId} returning job_id`;
    const jobId = running!.job_id;
    const runId = await queuedRun("/slow", 0, { jobId });
    const { result, ctx } = await new InngestTestEngine({ function: executeRun, steps: sendSteps() }).execute({ events: requested(runId) });
    expect(result).toMatchObject({ finished: { runId, status: "succeeded" } });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("cancel-replaced", [{ name: "jobboard/run.cancel-requested", data: { runId: oldRunId } }]);
    const rows = await db.sql`select id, status from runs where id in ${db.sql([oldRunId, runId])} order by queued_at`;
    expect(rows).toEqual([{ id: oldRunId, status: "canceled" }, { id: runId, status: "succeeded" }]);
  });

  it("ignores a malformed event instead of failing forever", async () => {
    const engine = new InngestTestEngine({ function: executeRun, steps: sendSteps() });
    const { result } = await engine.execute({ events: [{ name: "jobboard/run.requested", data: { runId: "nope" } }] });
    expect(result).toEqual({ skipped: "malformed event" });
  });
});

describe("deliver-alerts (Inngest)", () => {
  it("posts a pending failure's Block Kit message to the workspace's Slack webhook, once", async () => {
    const runId = await queuedRun("/ok");
    await withService(db.sql, async (tx) => {
      await tx`
        update runs set status = 'failed', finished_at = now(), exit_code = 2, stderr_tail = 'KeyError: customer_id'
        where id = ${runId}`;
      await settleRunEnd(tx, runId);
    });
    slack.length = 0;
    const event = { name: "jobboard/alerts.queued", data: {} };
    const { result } = await new InngestTestEngine({ function: deliverAlerts }).execute({ events: [event] });
    expect(result).toMatchObject({ sent: 1, retrying: 0 });
    expect(slack).toHaveLength(1);
    const blocks = slack[0]!.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]!.text!.text).toBe(":rotating_light: *Inngest job* failed");
    expect(blocks.some((block) => block.text?.text === "```KeyError: customer_id```")).toBe(true);
    // A second delivery finds nothing pending.
    await new InngestTestEngine({ function: deliverAlerts }).execute({ events: [event] });
    expect(slack).toHaveLength(1);
  });
});

describe("schedule-tick (Inngest)", () => {
  it("dispatches what the tick queued as run.requested events", async () => {
    const jobId = await withService(db.sql, async (tx) => {
      const [job] = await tx<{ id: string }[]>`
        insert into jobs (workspace_id, job_key, title, kind, http_target, schedule_cron, schedule_timezone, created_at)
        values (${workspaceId}, 'every-minute', 'Every minute', 'http', ${tx.json({ method: "GET", url: `${target.url}/ok` })},
                '* * * * *', 'UTC', now() - interval '1 hour')
        returning id`;
      return job!.id;
    });
    const engine = new InngestTestEngine({ function: scheduleTick, steps: sendSteps() });
    const { result, ctx } = await engine.execute();
    expect(result).toMatchObject({ queued: 1 });
    const [queued] = await db.sql<{ id: string }[]>`select id from runs where job_id = ${jobId} and trigger = 'schedule'`;
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("dispatch", [
      { name: "jobboard/run.requested", data: { runId: queued!.id, workspaceId } },
    ]);
    // The tick left its heartbeat, naming Inngest as its runner.
    const heartbeats = await db.sql<{ runner: string }[]>`select runner from tick_heartbeats`;
    expect(heartbeats.map((row) => row.runner)).toEqual(["inngest"]);
  });
});
