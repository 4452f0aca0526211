import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { trimOldLogs } from "@/server/retention";
import { ingestReport, ingestReportIn } from "@/server/ingest/service";
import { enqueueDueRuns, markMissedJobs, refillRunChecks, runScheduleTick, timeOutStuckRuns } from "@/server/schedule/tick";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedUser, seedWorkspace } from "../support/fixtures";

let db: TestDatabase;
let workspaceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Tick")).id;
});

afterAll(async () => {
  await db?.close();
});

type JobSpec = {
  kind?: "reported" | "http";
  cron?: string;
  timezone?: string;
  period?: number;
  grace?: number;
  createdAt: string;
  timeout?: number;
};

async function createJob(spec: JobSpec): Promise<string> {
  const kind = spec.kind ?? "reported";
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, http_target, schedule_cron, schedule_timezone,
                      schedule_period_seconds, grace_seconds, timeout_seconds, created_at)
    values (${workspaceId}, ${`tick-${Math.random().toString(36).slice(2, 10)}`}, 'Tick job', ${kind},
            ${kind === "http" ? tx.json({ method: "GET", url: "http://127.0.0.1:1/never" }) : null},
            ${spec.cron ?? null}, ${spec.timezone ?? null}, ${spec.period ?? null}, ${spec.grace ?? 0}, ${spec.timeout ?? null},
            ${spec.createdAt})
    returning id`);
  return job!.id;
}

async function report(jobId: string, at: string): Promise<void> {
  await withService(db.sql, (tx) => tx`
    insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
    values (${workspaceId}, ${jobId}, 'succeeded', 'report', ${at}, ${at}, ${at}, 0)`);
}

async function openIncidents(jobId: string) {
  return db.sql<{ kind: string; failure_count: number }[]>`
    select kind, failure_count from incidents where job_id = ${jobId} and resolved_at is null`;
}

/** Runs only the given jobs through the missed check, so other tests' jobs do not interfere. */
async function missedAmong(jobIds: string[], now: string) {
  return (await markMissedJobs(db.sql, new Date(now))).filter((missed) => jobIds.includes(missed.jobId));
}

describe("enqueuing scheduled runs", () => {
  it("queues a due slot once, however many ticks see it, and the next slot when it comes", async () => {
    const jobId = await createJob({ kind: "http", cron: "*/5 * * * *", timezone: "UTC", createdAt: "2026-11-23T00:00:00Z" });
    const slotsOf = async () =>
      (await db.sql<{ scheduled_for: Date }[]>`
        select scheduled_for from runs where job_id = ${jobId} and trigger = 'schedule' order by scheduled_for`).map((r) =>
        r.scheduled_for.toISOString(),
      );
    await enqueueDueRuns(db.sql, new Date("2026-11-23T01:00:10Z"));
    await enqueueDueRuns(db.sql, new Date("2026-11-23T01:00:40Z"));
    await Promise.all([enqueueDueRuns(db.sql, new Date("2026-11-23T01:01:00Z")), enqueueDueRuns(db.sql, new Date("2026-11-23T01:02:00Z"))]);
    expect(await slotsOf()).toEqual(["2026-11-23T01:00:00.000Z"]);
    await enqueueDueRuns(db.sql, new Date("2026-11-23T01:05:01Z"));
    expect(await slotsOf()).toEqual(["2026-11-23T01:00:00.000Z", "2026-11-23T01:05:00.000Z"]);
  });

  it("queues 01:30 once on the night New York's clocks fall back and 01:30 happens twice", async () => {
    const jobId = await createJob({ kind: "http", cron: "30 1 * * *", timezone: "America/New_York", createdAt: "2026-10-30T00:00:00Z" });
    // Every 10 minutes from 00:00 to 03:00 local time, 1 November 2026 (04:00–08:00 UTC).
    for (let t = Date.parse("2026-11-01T04:00:00Z"); t <= Date.parse("2026-11-01T08:00:00Z"); t += 10 * 60_000) {
      await enqueueDueRuns(db.sql, new Date(t));
    }
    const runs = await db.sql<{ scheduled_for: Date }[]>`
      select scheduled_for from runs where job_id = ${jobId} and trigger = 'schedule' order by scheduled_for`;
    // The first tick catches up 31 October's slot; 1 November's 01:30 is queued once, at its first occurrence (EDT).
    expect(runs.map((run) => run.scheduled_for.toISOString())).toEqual(["2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z"]);
  });

  it("keeps each job's next due times, so a tick reads only jobs that are due, and a schedule change makes the job due at once", async () => {
    const jobId = await createJob({ kind: "http", cron: "*/5 * * * *", timezone: "UTC", grace: 60, createdAt: "2026-11-23T00:00:00Z" });
    const dueTimes = async () => {
      const [row] = await db.sql<{ next_slot_at: Date; next_check_at: Date }[]>`select next_slot_at, next_check_at from schedule_due_times where job_id = ${jobId}`;
      // -infinity (due at once) has no Date of its own.
      const iso = (at: Date) => (Number.isNaN(at.getTime()) ? "due now" : at.toISOString());
      return { slot: iso(row!.next_slot_at), check: iso(row!.next_check_at) };
    };
    await enqueueDueRuns(db.sql, new Date("2026-11-23T01:00:10Z"));
    await missedAmong([jobId], "2026-11-23T01:00:10Z");
    // The 01:00 slot is queued, and its run counts for it: the first check it can fail is 01:05's,
    // at 01:05 plus the minute's grace.
    expect(await dueTimes()).toEqual({ slot: "2026-11-23T01:05:00.000Z", check: "2026-11-23T01:06:00.000Z" });

    // Until its next slot the job is not read at all: with its runs gone, nothing is queued again.
    await withService(db.sql, (tx) => tx`delete from runs where job_id = ${jobId}`);
    await enqueueDueRuns(db.sql, new Date("2026-11-23T01:04:59Z"));
    expect(await db.sql`select 1 from runs where job_id = ${jobId}`).toHaveLength(0);

    await withService(db.sql, (tx) => tx`update jobs set schedule_cron = '*/2 * * * *' where id = ${jobId}`);
    await enqueueDueRuns(db.sql, new Date("2026-11-23T01:04:59Z"));
    const [queued] = await db.sql<{ scheduled_for: Date }[]>`select scheduled_for from runs where job_id = ${jobId}`;
    expect(queued!.scheduled_for.toISOString()).toBe("2026-11-23T01:04:00.000Z");
    expect(await dueTimes()).toEqual({ slot: "2026-11-23T01:06:00.000Z", check: "2026-11-23T01:07:00.000Z" });
  });

  it("does not queue paused jobs or reported jobs", async () => {
    const reported = await createJob({ cron: "* * * * *", timezone: "UTC", createdAt: "2026-11-20T00:00:00Z" });
    const paused = await createJob({ kind: "http", cron: "* * * * *", timezone: "UTC", createdAt: "2026-11-20T00:00:00Z" });
    await withService(db.sql, (tx) => tx`update jobs set paused = true where id = ${paused}`);
    await enqueueDueRuns(db.sql, new Date("2026-11-23T05:00:30Z"));
    expect(await db.sql`select 1 from runs where job_id in (${reported}, ${paused})`).toHaveLength(0);
  });
});

describe("missed runs", () => {
  it("opens one missed incident for a reported job once its period and grace pass without a report", async () => {
    const jobId = await createJob({ period: 3600, grace: 600, createdAt: "2026-11-23T00:00:00Z" });
    await report(jobId, "2026-11-23T01:00:30Z");
    expect(await missedAmong([jobId], "2026-11-23T02:05:00Z")).toEqual([]);
    const missed = await missedAmong([jobId], "2026-11-23T03:11:00Z");
    expect(missed).toEqual([expect.objectContaining({ jobId, dueAt: new Date("2026-11-23T03:00:00Z") })]);
    // Later ticks do not pile on.
    await missedAmong([jobId], "2026-11-23T03:12:00Z");
    expect(await openIncidents(jobId)).toEqual([{ kind: "missed", failure_count: 1 }]);
  });

  it("follows New York's wall clock across the end of daylight time: no false alarm, and a real one", async () => {
    const jobId = await createJob({ cron: "0 9 * * *", timezone: "America/New_York", grace: 1800, createdAt: "2026-10-25T00:00:00Z" });
    // 09:01 local every day: 13:01 UTC before 1 November, 14:01 UTC after.
    for (const at of ["2026-10-30T13:01:00Z", "2026-10-31T13:01:00Z", "2026-11-01T14:01:00Z", "2026-11-02T14:01:00Z"]) await report(jobId, at);
    // A UTC-minded schedule would call 1 and 2 November late; the local one does not.
    expect(await missedAmong([jobId], "2026-11-01T14:35:00Z")).toEqual([]);
    expect(await missedAmong([jobId], "2026-11-02T14:45:00Z")).toEqual([]);
    // 3 November brings no report: missed once 09:00 EST (14:00 UTC) plus 30 minutes pass.
    expect(await missedAmong([jobId], "2026-11-03T14:25:00Z")).toEqual([]);
    expect(await missedAmong([jobId], "2026-11-03T14:31:00Z")).toEqual([expect.objectContaining({ dueAt: new Date("2026-11-03T14:00:00Z") })]);
  });

  it("follows Tokyo's clock for a 07:30 job, which is 22:30 UTC the day before", async () => {
    const jobId = await createJob({ cron: "30 7 * * *", timezone: "Asia/Tokyo", grace: 900, createdAt: "2026-11-20T00:00:00Z" });
    await report(jobId, "2026-11-21T22:31:00Z"); // 22 November 07:31 JST
    expect(await missedAmong([jobId], "2026-11-21T23:00:00Z")).toEqual([]);
    // 23 November 07:30 JST passes with no report.
    expect(await missedAmong([jobId], "2026-11-22T22:44:00Z")).toEqual([]);
    expect(await missedAmong([jobId], "2026-11-22T22:46:00Z")).toEqual([expect.objectContaining({ dueAt: new Date("2026-11-22T22:30:00Z") })]);
  });

  it("moves a job's next check on when its report arrives, so the check minute does not read it, and still finds the job that stays silent", async () => {
    const [job] = await withService(db.sql, (tx) => tx<{ id: string; job_key: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, schedule_cron, schedule_timezone, grace_seconds, created_at)
      values (${workspaceId}, 'hourly-report', 'Hourly report', 'reported', '0 * * * *', 'Europe/Berlin', 300, '2026-11-20T00:00:00Z')
      returning id, job_key`);
    const jobId = job!.id;
    const checkOf = async () => {
      const [row] = await db.sql<{ next_check_at: Date; counts_from: Date | null; check_after_run_at: Date | null }[]>`
        select next_check_at, counts_from, check_after_run_at from schedule_due_times where job_id = ${jobId}`;
      return { at: row!.next_check_at.toISOString(), countsFrom: row!.counts_from?.toISOString() ?? null, afterRun: row!.check_after_run_at?.toISOString() ?? null };
    };
    const reportAt = (at: string) =>
      ingestReport(db.sql, { workspaceId, now: new Date(at), report: { job_key: job!.job_key, status: "success", started_at: at, finished_at: at } as never });

    // The first check reads the job and works out what a run for the 06:00 slot would change.
    await reportAt("2026-11-23T05:00:30Z");
    expect(await missedAmong([jobId], "2026-11-23T05:06:00Z")).toEqual([]);
    expect(await checkOf()).toEqual({ at: "2026-11-23T06:05:00.000Z", countsFrom: "2026-11-23T05:30:00.000Z", afterRun: "2026-11-23T07:05:00.000Z" });

    // A report of the previous slot, late, does not count for 06:00 and moves nothing.
    await reportAt("2026-11-23T05:20:00Z");
    expect((await checkOf()).at).toBe("2026-11-23T06:05:00.000Z");
    // The 06:00 report moves the check to 07:00's, in the report's own transaction.
    await reportAt("2026-11-23T06:00:20Z");
    expect(await checkOf()).toEqual({ at: "2026-11-23T07:05:00.000Z", countsFrom: null, afterRun: null });
    const [due] = await db.sql<{ n: number }[]>`select count(*)::int as n from schedule_due_times where job_id = ${jobId} and next_check_at <= '2026-11-23T06:05:30Z'`;
    expect(due!.n).toBe(0);

    // A quiet tick fills in what a run for 07:00 would change. Nothing comes at 07:00.
    await refillRunChecks(db.sql, new Date("2026-11-23T06:10:00Z"), 10_000);
    expect(await checkOf()).toEqual({ at: "2026-11-23T07:05:00.000Z", countsFrom: "2026-11-23T06:30:00.000Z", afterRun: "2026-11-23T08:05:00.000Z" });
    expect(await missedAmong([jobId], "2026-11-23T07:04:00Z")).toEqual([]);
    expect(await missedAmong([jobId], "2026-11-23T07:05:30Z")).toEqual([expect.objectContaining({ jobId, dueAt: new Date("2026-11-23T07:00:00Z") })]);
  });

  it("counts a report that arrives a little early for its slot", async () => {
    const jobId = await createJob({ cron: "0 3 * * *", timezone: "UTC", grace: 300, createdAt: "2026-11-20T00:00:00Z" });
    await report(jobId, "2026-11-22T02:59:40Z");
    expect(await missedAmong([jobId], "2026-11-22T03:10:00Z")).toEqual([]);
  });
});

describe("stuck runs, dispatch and retention", () => {
  it("times two overlapping runs of one job each on its own start, not only the newest", async () => {
    const jobId = await createJob({ timeout: 60, createdAt: "2026-11-20T00:00:00Z" });
    const [first, second] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at)
      values (${workspaceId}, ${jobId}, 'running', 'report', 'overlap-a', '2026-11-23T01:00:00Z', '2026-11-23T01:00:00Z'),
             (${workspaceId}, ${jobId}, 'running', 'report', 'overlap-b', '2026-11-23T01:01:00Z', '2026-11-23T01:01:00Z')
      returning id`);
    // The older run's timeout has passed, the newer one's not yet.
    expect((await timeOutStuckRuns(db.sql, new Date("2026-11-23T01:01:30Z"))).map((run) => run.runId)).toEqual([first!.id]);
    expect((await timeOutStuckRuns(db.sql, new Date("2026-11-23T01:02:30Z"))).map((run) => run.runId)).toEqual([second!.id]);
    const stored = await db.sql<{ status: string }[]>`select status from runs where job_id = ${jobId} order by started_at`;
    expect(stored.map((run) => run.status)).toEqual(["timed_out", "timed_out"]);
    // One incident for the job, holding both.
    expect(await openIncidents(jobId)).toEqual([{ kind: "timed_out", failure_count: 2 }]);
  });

  it("times out a reported run still running past its job's timeout, at the first tick after it, with an incident", async () => {
    const jobId = await createJob({ timeout: 60, createdAt: "2026-11-20T00:00:00Z" });
    const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at)
      values (${workspaceId}, ${jobId}, 'running', 'report', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z') returning id`);
    expect(await timeOutStuckRuns(db.sql, new Date("2026-11-23T00:01:00Z"))).toEqual([]);
    const timedOut = await timeOutStuckRuns(db.sql, new Date("2026-11-23T00:01:30Z"));
    expect(timedOut).toEqual([expect.objectContaining({ runId: run!.id, jobId })]);
    const [stored] = await db.sql`select status, duration_ms from runs where id = ${run!.id}`;
    // Ended when it ran out, not when the tick noticed.
    expect(stored).toEqual({ status: "timed_out", duration_ms: 60_000 });
    expect(await openIncidents(jobId)).toEqual([{ kind: "timed_out", failure_count: 1 }]);
  });

  it("lets a success that finished after a run ran out, before the tick noticed, resolve the timeout's incident at once", async () => {
    const alertsOf = (jobId: string) => db.sql<{ kind: string; status: string | null }[]>`
      select kind, detail->>'status' as status from alerts where job_id = ${jobId} order by created_at, id`;
    const runOut = async (successAt: string) => {
      const jobId = await createJob({ timeout: 60, createdAt: "2026-11-20T00:00:00Z" });
      const [job] = await db.sql<{ job_key: string }[]>`select job_key from jobs where id = ${jobId}`;
      await withService(db.sql, (tx) => tx`
        insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at)
        values (${workspaceId}, ${jobId}, 'running', 'report', 'hangs', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z')`);
      // A newer run of the job, reported as it finished.
      await ingestReport(db.sql, {
        workspaceId,
        now: new Date(successAt),
        report: { job_key: job!.job_key, status: "success", started_at: "2026-11-23T00:00:20Z", finished_at: successAt } as never,
      });
      await timeOutStuckRuns(db.sql, new Date("2026-11-23T00:01:30Z"));
      return jobId;
    };
    // The hung run ran out at 00:01:00; the success came at 00:01:10, so the job is well again.
    const healed = await runOut("2026-11-23T00:01:10Z");
    expect(await openIncidents(healed)).toEqual([]);
    expect(await alertsOf(healed)).toEqual([{ kind: "failure", status: "timed_out" }, { kind: "recovery", status: null }]);
    // A success before the run ran out is older news than the timeout: the incident stays open.
    const stillOpen = await runOut("2026-11-23T00:00:50Z");
    expect(await openIncidents(stillOpen)).toEqual([{ kind: "timed_out", failure_count: 1 }]);
    expect(await alertsOf(stillOpen)).toEqual([{ kind: "failure", status: "timed_out" }]);
  });

  it("times out, in its place in time, a run that a later report of its job shows to have run out", async () => {
    const alertsOf = (jobId: string) => db.sql<{ kind: string; status: string | null }[]>`
      select kind, detail->>'status' as status from alerts where job_id = ${jobId} order by created_at, id`;
    const incidentsOf = (jobId: string) => db.sql<{ kind: string; failure_count: number; is_open: boolean }[]>`
      select kind, failure_count, resolved_at is null as is_open from incidents where job_id = ${jobId} order by opened_at`;
    const hangingJob = async () => {
      const jobId = await createJob({ timeout: 60, createdAt: "2026-11-20T00:00:00Z" });
      const [job] = await db.sql<{ job_key: string }[]>`select job_key from jobs where id = ${jobId}`;
      await withService(db.sql, (tx) => tx`
        insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at)
        values (${workspaceId}, ${jobId}, 'running', 'report', 'hangs', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z')`);
      const send = (status: "success" | "error", finishedAt: string) =>
        withService(db.sql, (tx) => ingestReportIn(tx, { workspaceId, report: { job_key: job!.job_key, status, started_at: finishedAt, finished_at: finishedAt } as never }));
      return { jobId, send };
    };
    // Replayed from a spool after Jobboard's outage, before the tick's catch-up: the hung run ran
    // out at 00:01:00, then a failure finished at 00:01:30, then a success at 00:02:00.
    const failing = await hangingJob();
    await failing.send("error", "2026-11-23T00:01:30Z");
    expect(await incidentsOf(failing.jobId)).toEqual([{ kind: "timed_out", failure_count: 2, is_open: true }]);
    await failing.send("success", "2026-11-23T00:02:00Z");
    expect(await alertsOf(failing.jobId)).toEqual([{ kind: "failure", status: "timed_out" }, { kind: "recovery", status: null }]);
    // A success alone after it ran out: the timeout is still told, then its recovery.
    const healed = await hangingJob();
    await healed.send("success", "2026-11-23T00:01:10Z");
    expect(await incidentsOf(healed.jobId)).toEqual([{ kind: "timed_out", failure_count: 1, is_open: false }]);
    expect(await alertsOf(healed.jobId)).toEqual([{ kind: "failure", status: "timed_out" }, { kind: "recovery", status: null }]);
    // A report that finished before the run ran out leaves it running, for its own finish or the tick.
    const early = await hangingJob();
    await early.send("success", "2026-11-23T00:00:50Z");
    const [stillRunning] = await db.sql<{ count: number }[]>`select count(*)::int as count from runs where job_id = ${early.jobId} and status = 'running'`;
    expect(stillRunning!.count).toBe(1);
    // Its own finish ends it, so no later tick here finds it.
    const [job] = await db.sql<{ job_key: string }[]>`select job_key from jobs where id = ${early.jobId}`;
    await withService(db.sql, (tx) => ingestReportIn(tx, { workspaceId, report: { job_key: job!.job_key, run_id: "hangs", status: "success", finished_at: "2026-11-23T00:00:55Z" } as never }));
  });

  it("gives a run Jobboard executes a minute's slack, so its executor ends it first", async () => {
    const jobId = await createJob({ kind: "http", timeout: 60, createdAt: "2026-11-20T00:00:00Z" });
    const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at)
      values (${workspaceId}, ${jobId}, 'running', 'manual', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z') returning id`);
    expect(await timeOutStuckRuns(db.sql, new Date("2026-11-23T00:01:30Z"))).toEqual([]);
    expect((await timeOutStuckRuns(db.sql, new Date("2026-11-23T00:02:30Z"))).map((ended) => ended.runId)).toEqual([run!.id]);
  });

  it("hands over again a queued run whose dispatch failed", async () => {
    const jobId = await createJob({ kind: "http", createdAt: "2026-11-20T00:00:00Z" });
    const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, trigger, dispatch_error) values (${workspaceId}, ${jobId}, 'manual', 'Inngest unreachable')
      returning id`);
    const dispatched: string[] = [];
    await runScheduleTick(db.sql, new Date(), async (queued) => void dispatched.push(queued.id));
    expect(dispatched).toContain(run!.id);
  });

  it("drops logs past the workspace's retention, keeping the runs and their status", async () => {
    const jobId = await createJob({ createdAt: "2026-11-01T00:00:00Z" });
    const insert = (finishedAt: string) =>
      withService(db.sql, (tx) => tx<{ id: string }[]>`
        insert into runs (workspace_id, job_id, status, trigger, queued_at, finished_at, log, stderr_tail)
        values (${workspaceId}, ${jobId}, 'failed', 'report', ${finishedAt}, ${finishedAt}, 'log text', 'stderr text') returning id`);
    const [old] = await insert("2026-11-10T00:00:00Z");
    const [recent] = await insert("2026-11-20T00:00:00Z");
    const trimmed = await trimOldLogs(db.sql, new Date("2026-11-23T00:00:00Z"), 1);
    expect(trimmed).toBeGreaterThanOrEqual(1);
    const rows = await db.sql`select id, status, log, stderr_tail from runs where id in (${old!.id}, ${recent!.id}) order by finished_at`;
    expect(rows).toEqual([
      { id: old!.id, status: "failed", log: null, stderr_tail: null },
      { id: recent!.id, status: "failed", log: "log text", stderr_tail: "stderr text" },
    ]);
  });
});
