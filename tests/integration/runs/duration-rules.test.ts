import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { executeRunInline } from "@/server/execution/run-loop";
import { handleJobReport } from "@/server/ingest/http";
import { reportSchema } from "@/server/ingest/schemas";
import { ingestReportIn } from "@/server/ingest/service";
import { jobFormSchema } from "@/server/jobs/definition";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedIngestKey, seedUser, seedWorkspace } from "../support/fixtures";
import { serveHandlers, type TestServer } from "../support/http-server";
import { startSlackFor } from "../support/slack";
import { startTargetServer } from "../support/target-server";

// Duration rules through the report API over real HTTP and through the executor, with a real
// HTTP server standing in for Slack. Durations come with the reports, so no clock is waited on.
let db: TestDatabase;
let server: TestServer;
let target: Awaited<ReturnType<typeof startTargetServer>>;
let slack: Awaited<ReturnType<typeof startSlackFor>>;
let workspaceId: string;
let token: string;
let counter = 0;
// The tests deliver on their own clock; the notifier the handler would wake is counted instead.
let wakes = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Durations")).id;
  token = (await seedIngestKey(db.sql, workspaceId)).token;
  slack = await startSlackFor(db.sql, workspaceId);
  server = await serveHandlers({ "/api/monitor/job-report": (request) => handleJobReport(request, { getSql: async () => db.sql, onAlertsQueued: () => wakes++ }) });
  target = await startTargetServer({ "/quick": (_req, res) => res.writeHead(200).end("done") });
});

afterAll(async () => {
  await target?.close();
  await server?.close();
  await slack?.close();
  await db?.close();
});

type Rules = { min?: number; max?: number; factor?: number; runs?: number; policy?: string };

async function jobWith(rules: Rules) {
  const key = `backup-${counter++}`;
  await withService(db.sql, (tx) => tx`
    insert into jobs (workspace_id, job_key, title, min_duration_seconds, max_duration_seconds, slow_p95_factor, slow_p95_runs, notify_policy)
    values (${workspaceId}, ${key}, ${`Backup ${key}`}, ${rules.min ?? null}, ${rules.max ?? null}, ${rules.factor ?? null},
            ${rules.runs ?? 20}, ${rules.policy ?? "failures_and_recoveries"})`);
  return key;
}

async function report(jobKey: string, durationMs: number, status = "success") {
  const response = await fetch(`${server.url}/api/monitor/job-report`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ job_key: jobKey, title: `Backup ${jobKey}`, status, duration_ms: durationMs, finished_at: new Date().toISOString() }),
  });
  const body = (await response.json()) as { run_id: string };
  expect({ status: response.status, body }).toEqual({ status: 200, body: expect.objectContaining({ run_id: expect.any(String) }) });
  const runId = body.run_id;
  const [run] = await db.sql<{ status: string; duration_rule: string | null; duration_limit_ms: number | null }[]>`
    select status, duration_rule, duration_limit_ms::float8 as duration_limit_ms from runs where id = ${runId}`;
  return { runId, ...run! };
}

async function alertsOf(jobKey: string) {
  return db.sql<{ kind: string; detail: Record<string, unknown> }[]>`
    select a.kind, a.detail from alerts a join jobs j on j.id = a.job_id where j.job_key = ${jobKey} order by a.created_at`;
}

describe("duration rules", () => {
  it("flags a success faster than the job's minimum, keeps it a success, and Slack hears of it once", async () => {
    const key = await jobWith({ min: 60 });
    const woken = wakes;
    const fast = await report(key, 2000);
    expect(fast).toMatchObject({ status: "succeeded", duration_rule: "too_fast", duration_limit_ms: 60_000 });
    // The report opened no incident, yet the handler wakes the notifier for the run's alert.
    expect(wakes).toBe(woken + 1);
    expect((await report(key, 90_000)).duration_rule).toBeNull();
    expect(wakes).toBe(woken + 1);
    // A failure is alerted as a failure, never as too fast.
    expect((await report(key, 1000, "error")).duration_rule).toBeNull();

    await deliverPendingAlerts(db.sql);
    const texts = slack.about(key).map((message) => message.text);
    expect(texts.filter((text) => text.includes("under its minimum"))).toEqual([
      `:warning: Backup ${key} succeeded in only 2.0 s, under its minimum of 1 m 00 s: check that it did its work`,
    ]);
    expect((await alertsOf(key)).filter((alert) => alert.kind === "duration")).toEqual([
      { kind: "duration", detail: { rule: "too_fast", limit_ms: 60_000, duration_ms: 2000 } },
    ]);
  });

  it("flags a success over the job's ceiling", async () => {
    const key = await jobWith({ max: 600 });
    expect(await report(key, 601_000)).toMatchObject({ duration_rule: "over_max", duration_limit_ms: 600_000 });
    expect((await report(key, 600_000)).duration_rule).toBeNull();
    await deliverPendingAlerts(db.sql);
    expect(slack.about(key).map((message) => message.text)).toEqual([`:warning: Backup ${key} succeeded but took 10 m 01 s, longer than its limit of 10 m 00 s`]);
  });

  it("flags a success over k × the p95 of the job's last N successes, once it has five of them", async () => {
    const [under, over] = [await jobWith({ factor: 2, runs: 5 }), await jobWith({ factor: 2, runs: 5 })];
    for (const key of [under, over]) {
      // Too few successes yet to know what is slow for this job.
      expect((await report(key, 500_000)).duration_rule).toBeNull();
      for (const seconds of [10, 11, 12, 13, 14]) expect((await report(key, seconds * 1000)).duration_rule).toBeNull();
    }
    // The last five are 10–14 s (the 500 s run has left the window): p95 13.8 s, so 27.6 s is the bound.
    expect((await report(under, 27_000)).duration_rule).toBeNull();
    expect(await report(over, 28_000)).toMatchObject({ duration_rule: "over_p95", duration_limit_ms: 27_600 });
    await deliverPendingAlerts(db.sql);
    expect(slack.about(under)).toEqual([]);
    expect(slack.about(over).map((message) => message.text)).toEqual([
      `:warning: Backup ${over} succeeded but took 28.0 s, longer than its recent runs allow (27.6 s)`,
    ]);
  });

  it("tells the report's caller an alert is queued, though the report itself opened nothing, so the notifier wakes", async () => {
    const key = await jobWith({ min: 60 });
    const recorded = (seconds: number) =>
      withService(db.sql, (tx) =>
        ingestReportIn(tx, { workspaceId, report: reportSchema.parse({ job_key: key, title: "Backup", status: "success", duration_ms: seconds * 1000, finished_at: new Date().toISOString() }) }),
      );
    expect((await recorded(3)).alertQueued).toBe(true);
    expect((await recorded(120)).alertQueued).toBe(false);
  });

  it("marks the run but tells nobody when the job never notifies", async () => {
    const key = await jobWith({ min: 60, policy: "never" });
    expect((await report(key, 1000)).duration_rule).toBe("too_fast");
    expect(await alertsOf(key)).toEqual([]);
  });

  it("judges a run Jobboard executed, and says an alert is queued so the notifier wakes", async () => {
    const key = `quick-${counter++}`;
    const [run] = await withService(db.sql, async (tx) => {
      const [job] = await tx<{ id: string }[]>`
        insert into jobs (workspace_id, job_key, title, kind, http_target, min_duration_seconds)
        values (${workspaceId}, ${key}, 'Quick export', 'http', ${tx.json({ method: "POST", url: `${target.url}/quick` })}, 30)
        returning id`;
      return tx<{ id: string }[]>`insert into runs (workspace_id, job_id, trigger) values (${workspaceId}, ${job!.id}, 'manual') returning id`;
    });
    const result = await executeRunInline(db.sql, run!.id);
    expect(result.finished).toMatchObject({ status: "succeeded", alertQueued: true });
    const [judged] = await db.sql`select duration_rule from runs where id = ${run!.id}`;
    expect(judged).toEqual({ duration_rule: "too_fast" });
  });

  it("refuses a ceiling at or under the minimum on the job form, naming the field", () => {
    const base = { jobKey: "k", title: "T", kind: "reported", enabled: "on", clearSlackWebhook: "" };
    const refused = jobFormSchema.safeParse({ ...base, minDurationSeconds: "60", maxDurationSeconds: "60" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["maxDurationSeconds", "The maximum duration must be longer than the minimum"]]);
    const factor = jobFormSchema.safeParse({ ...base, slowP95Factor: "0.5" });
    expect(factor.error?.issues.map((issue) => issue.path.join("."))).toEqual(["slowP95Factor"]);
    expect(jobFormSchema.parse({ ...base, slowP95Factor: "2.5", slowP95Runs: "50" })).toMatchObject({ slowP95Factor: 2.5, slowP95Runs: 50 });
  });
});
