import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { enqueueDueRuns, markMissedJobs, runScheduleTick } from "@/server/schedule/tick";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedUser, seedWorkspace } from "../support/fixtures";

// Past a few hundred due jobs a tick splits its work in two halves on two connections. This
// world is big enough for that, on its own database so that no other test's jobs are due.
const JOBS = 1200;
// Odd numbers are reported jobs.
const MISSING = [7, 301, 651, 1111];

let db: TestDatabase;
let workspaceId: string;
let jobs: { id: string; n: number; kind: string }[];

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Tick at scale")).id;
  jobs = await withService(db.sql, (tx) => tx<{ id: string; n: number; kind: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, http_target, schedule_cron, schedule_timezone, grace_seconds, created_at)
    select ${workspaceId}, 'scale-' || n, 'Scale ' || n, case when n % 2 = 0 then 'http' else 'reported' end,
           case when n % 2 = 0 then '{"method":"POST","url":"http://127.0.0.1:1/never"}'::jsonb end,
           '0 * * * *', 'Asia/Tokyo', 120, '2027-02-28T23:59:00Z'
    from generate_series(0, ${JOBS - 1}) n
    returning id, substr(job_key, 7)::int as n, kind`);
});

afterAll(async () => {
  await db?.close();
});

/**
 * The scheduler ticks every minute; this test runs only the minutes it looks at, and records the
 * others as ticked, so no gap between them reads as Jobboard's own outage (which defers checks).
 */
async function tick(at: string) {
  await db.sql`
    insert into tick_heartbeats (ticked_at, runner, duration_ms)
    select minute, 'in-process', 0
    from generate_series((select max(ticked_at) from tick_heartbeats) + interval '1 minute', ${at}::timestamptz - interval '1 minute', interval '1 minute') minute`;
  return runScheduleTick(db.sql, new Date(at), async () => {});
}

async function reportAll(at: string, except: number[]) {
  await withService(db.sql, (tx) => tx`
    insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
    select ${workspaceId}, j.id, 'succeeded', 'report', ${at}, ${at}, ${at}, 0
    from jobs j where j.workspace_id = ${workspaceId} and j.kind = 'reported' and not (substr(j.job_key, 7)::int = any(${except}::int[]))`);
  // Runs executed by Jobboard: the queued ones end, as their executor would end them.
  await withService(db.sql, (tx) => tx`
    update runs set status = 'succeeded', started_at = ${at}, finished_at = ${at}, duration_ms = 0
    where workspace_id = ${workspaceId} and status = 'queued'`);
  await withService(db.sql, (tx) => tx`
    update jobs j set last_run_id = (select r.id from runs r where r.job_id = j.id order by r.queued_at desc, r.id desc limit 1)
    where j.workspace_id = ${workspaceId}`);
}

/** A tick's queuing and checking without its refill of what a run moves (see the first hour below). */
async function tickWithoutRefill(at: string) {
  return { queued: await enqueueDueRuns(db.sql, new Date(at)), missed: await markMissedJobs(db.sql, new Date(at)) };
}

const dueForCheckBy = async (at: string) => {
  const [row] = await db.sql<{ due: number }[]>`select count(*)::int as due from schedule_due_times where next_check_at <= ${at}`;
  return row!.due;
};

describe("a tick with more jobs due than one part takes", () => {
  it("queues every managed job's slot once and finds exactly the reported jobs that went missing", async () => {
    // The first ticks catch up: every job is new to them. They leave out the refill, so that
    // no report this hour moves its check, and the check after the top of the hour reads all
    // 600 reported jobs, in two parts.
    await tick("2027-03-01T00:00:05Z");
    await reportAll("2027-03-01T00:00:30Z", []);
    await tickWithoutRefill("2027-03-01T00:01:00Z");
    await tickWithoutRefill("2027-03-01T00:03:00Z");

    // The top of the hour: 600 http jobs due at once.
    const queued = await tickWithoutRefill("2027-03-01T01:00:05Z");
    expect(queued.queued).toHaveLength(JOBS / 2);
    expect(new Set(queued.queued.map((run) => run.id)).size).toBe(JOBS / 2);
    expect((await tickWithoutRefill("2027-03-01T01:00:40Z")).queued).toHaveLength(0);

    // All report but four; two minutes' grace later, the check of 600 slots finds those four.
    await reportAll("2027-03-01T01:00:50Z", MISSING);
    expect(await dueForCheckBy("2027-03-01T01:02:10Z")).toBe(JOBS / 2);
    const checked = await tick("2027-03-01T01:02:10Z");
    const missingIds = jobs.filter((job) => MISSING.includes(job.n)).map((job) => job.id).sort();
    expect(checked.missed.map((missed) => missed.jobId).sort()).toEqual(missingIds);
    const [counts] = await db.sql<{ runs: number; incidents: number; alerts: number }[]>`
      select (select count(*) from runs where workspace_id = ${workspaceId} and trigger = 'schedule'
                and scheduled_for = '2027-03-01T01:00:00Z')::int as runs,
             (select count(*) from incidents where workspace_id = ${workspaceId} and kind = 'missed' and resolved_at is null)::int as incidents,
             (select count(*) from alerts where workspace_id = ${workspaceId} and kind = 'missed')::int as alerts`;
    expect(counts).toEqual({ runs: JOBS / 2, incidents: MISSING.length, alerts: MISSING.length });

    // Every job moved on to the next hour's check: the minutes after read none of them.
    expect(await dueForCheckBy("2027-03-01T01:59:00Z")).toBe(0);
    expect((await tick("2027-03-01T01:03:10Z")).missed).toHaveLength(0);

    // The next hour, with the ticks between having worked out what a run moves: each job that
    // runs moves its own check on, and the check minute reads only the four still silent.
    await tick("2027-03-01T02:00:05Z");
    await reportAll("2027-03-01T02:00:50Z", MISSING);
    expect(await dueForCheckBy("2027-03-01T02:02:10Z")).toBe(MISSING.length);
    expect((await tick("2027-03-01T02:02:10Z")).missed).toHaveLength(0);
    expect(await dueForCheckBy("2027-03-01T02:59:00Z")).toBe(0);
  });
});
