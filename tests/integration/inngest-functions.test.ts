import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRun } from "@/inngest/functions/execute-run";
import { notifyOnRunFinished } from "@/inngest/functions/notify";
import { scheduleTick } from "@/inngest/functions/schedule-tick";
import { provideDatabase } from "@/server/db/client";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "./support/database";
import { seedUser, seedWorkspace } from "./support/fixtures";
import { startTargetServer } from "./support/target-server";

// Inngest Cloud and its dev server cannot run here: @inngest/test drives the real functions,
// step by step, against the real database and a real HTTP target.
let db: TestDatabase;
let target: Awaited<ReturnType<typeof startTargetServer>>;
let workspaceId: string;
let flakyFailures = 0;
const slack: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  provideDatabase(db.sql);
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Inngest")).id;
  target = await startTargetServer({
    "/ok": (_req, res) => res.writeHead(200).end("done"),
    "/flaky": (_req, res) => {
      if (flakyFailures-- > 0) res.writeHead(502).end("bad gateway");
      else res.writeHead(200).end("ok");
    },
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

async function queuedRun(path: string, retries = 0): Promise<string> {
  return withService(db.sql, async (tx) => {
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, http_target, max_retries)
      values (${workspaceId}, ${`inngest-${Math.random().toString(36).slice(2, 8)}`}, 'Inngest job', 'http',
              ${tx.json({ method: "POST", url: `${target.url}${path}` })}, ${retries})
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
const sendSteps = () => ["announce", "cancel-replaced", "dispatch", "alert"].map((id) => ({ id, handler() {} }));

describe("execute-run (Inngest)", () => {
  it("claims, executes and records a run, and announces it finished", async () => {
    const runId = await queuedRun("/ok");
    const engine = new InngestTestEngine({ function: executeRun, steps: sendSteps() });
    const { result, ctx } = await engine.execute({ events: requested(runId) });
    expect(result).toMatchObject({ finished: { runId, status: "succeeded" }, attempts: 1 });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("announce", expect.objectContaining({ name: "jobboard/run.finished" }));
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

  it("ignores a malformed event instead of failing forever", async () => {
    const engine = new InngestTestEngine({ function: executeRun, steps: sendSteps() });
    const { result } = await engine.execute({ events: [{ name: "jobboard/run.requested", data: { runId: "nope" } }] });
    expect(result).toEqual({ skipped: "malformed event" });
  });
});

describe("notify (Inngest)", () => {
  it("posts the failure's Block Kit message to the workspace's Slack webhook", async () => {
    const runId = await queuedRun("/ok");
    const [run] = await db.sql<{ job_id: string }[]>`
      update runs set status = 'failed', finished_at = now(), exit_code = 2, stderr_tail = 'KeyError: customer_id'
      where id = ${runId} returning job_id`;
    slack.length = 0;
    const engine = new InngestTestEngine({ function: notifyOnRunFinished });
    const { result } = await engine.execute({
      events: [
        {
          name: "jobboard/run.finished",
          data: { runId, workspaceId, jobId: run!.job_id, status: "failed", openedIncidentId: runId, resolvedIncidentIds: [] },
        },
      ],
    });
    expect(result).toEqual({ sent: true });
    expect(slack).toHaveLength(1);
    const blocks = slack[0]!.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]!.text!.text).toBe(":rotating_light: *Inngest job* failed");
    expect(blocks.some((block) => block.text?.text === "```KeyError: customer_id```")).toBe(true);
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
  });
});
