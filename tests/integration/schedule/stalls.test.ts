import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { markStalledRuns } from "@/server/schedule/stalls";
import { settleRunEnd } from "@/server/incidents/run-end";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import type { TestDatabase } from "../support/database";
import { slackWorkspace, type SlackStandIn } from "../support/slack";

// Stall detection on the tick's clock, with a real HTTP server standing in for Slack.
const MINUTE = 60_000;
const STARTED = new Date("2026-11-23T03:00:00Z");
const at = (minutes: number) => new Date(STARTED.getTime() + minutes * MINUTE);

let world: Awaited<ReturnType<typeof slackWorkspace>>;
let db: TestDatabase;
let workspaceId: string;
let slack: SlackStandIn;
let counter = 0;

beforeAll(async () => {
  world = await slackWorkspace("Stalls");
  ({ db, workspaceId, slack } = world);
});

afterAll(() => world?.close());

/** A job with one run running since STARTED, at `stage`. */
async function runningJob(stallMinutes: number | null, stage: string | null = "Extract", notifyPolicy = "failures_and_recoveries") {
  return withService(db.sql, async (tx) => {
    const key = `stall-${counter++}`;
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, stall_minutes, notify_policy)
      values (${workspaceId}, ${key}, ${`Import ${key}`}, ${stallMinutes}, ${notifyPolicy})
      returning id`;
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, current_stage)
      values (${workspaceId}, ${job!.id}, 'running', 'report', ${STARTED}, ${STARTED}, ${stage}) returning id`;
    return { jobId: job!.id, jobKey: key, runId: run!.id };
  });
}

async function incidentsOf(jobId: string) {
  return db.sql<{ kind: string; resolved: boolean; last_message: string }[]>`
    select kind, resolved_at is not null as resolved, last_message from incidents where job_id = ${jobId}`;
}

describe("stalled runs", () => {
  it("opens a stalled incident once a running run's progress has not moved for the job's minutes, and Slack says so", async () => {
    const job = await runningJob(10);
    const off = await runningJob(null);
    expect(await markStalledRuns(db.sql, at(9))).toEqual([]);
    const stalled = await markStalledRuns(db.sql, at(10));
    expect(stalled.map((run) => run.runId)).toContain(job.runId);
    expect(stalled.map((run) => run.runId)).not.toContain(off.runId);
    expect(await incidentsOf(job.jobId)).toEqual([{ kind: "stalled", resolved: false, last_message: "No progress for 10 minutes (at stage Extract)" }]);
    // Open already: the next ticks add nothing.
    expect((await markStalledRuns(db.sql, at(30))).map((run) => run.runId)).not.toContain(job.runId);

    await deliverPendingAlerts(db.sql);
    const about = slack.about(job.jobKey);
    expect(about.map((message) => message.text)).toEqual([`:hourglass: Import ${job.jobKey} has stalled at stage Extract: no progress for 10 minutes, still running`]);

    // The run finishes well after all: one success resolves a stall.
    await withService(db.sql, async (tx) => {
      await tx`update runs set status = 'succeeded', finished_at = ${at(40)}, duration_ms = ${40 * MINUTE} where id = ${job.runId}`;
      await settleRunEnd(tx, job.runId);
    });
    expect(await incidentsOf(job.jobId)).toMatchObject([{ kind: "stalled", resolved: true }]);
  });

  it("opens the incident but sends nothing for a job that notifies never", async () => {
    const quiet = await runningJob(10, "Extract", "never");
    expect((await markStalledRuns(db.sql, at(10))).map((run) => run.runId)).toContain(quiet.runId);
    expect(await incidentsOf(quiet.jobId)).toMatchObject([{ kind: "stalled", resolved: false }]);
    const [alerts] = await db.sql<{ count: number }[]>`select count(*)::int as count from alerts where job_id = ${quiet.jobId}`;
    expect(alerts!.count).toBe(0);
    await deliverPendingAlerts(db.sql);
    expect(slack.about(quiet.jobKey)).toEqual([]);
  });

  it("counts progress from the last time the stage, percent or log moved, whoever wrote it", async () => {
    const job = await runningJob(10);
    // A report's progress moves the stage: the trigger notes when (the database's clock, after STARTED).
    await withService(db.sql, (tx) => tx`update runs set current_stage = 'Load' where id = ${job.runId}`);
    const [run] = await db.sql<{ progress_at: Date }[]>`select progress_at from runs where id = ${job.runId}`;
    expect(run!.progress_at.getTime()).toBeGreaterThan(STARTED.getTime());
    expect((await markStalledRuns(db.sql, at(10))).map((stalled) => stalled.runId)).not.toContain(job.runId);
    // A write that changes no progress (a lease renewal, a host) moves nothing.
    await withService(db.sql, (tx) => tx`update runs set host = 'batch-01' where id = ${job.runId}`);
    const [again] = await db.sql<{ progress_at: Date }[]>`select progress_at from runs where id = ${job.runId}`;
    expect(again!.progress_at).toEqual(run!.progress_at);
    // (A second past: the database keeps microseconds, a JavaScript date only milliseconds.)
    expect(await markStalledRuns(db.sql, new Date(run!.progress_at.getTime() + 10 * MINUTE + 1000))).toEqual([
      expect.objectContaining({ runId: job.runId }),
    ]);
  });
});
