import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retention } from "@/inngest/functions/retention";
import { provideDatabase } from "@/server/db/client";
import { withService } from "@/server/db/transactions";
import { reportSchema } from "@/server/ingest/schemas";
import { ingestReport, type IngestResult } from "@/server/ingest/service";
import { trimOldRuns } from "@/server/retention";
import { getWorkspaceSettings, updateWorkspaceSettings } from "@/server/settings/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, outcome, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

// A million old runs on PostgreSQL. PGlite runs single-threaded in WebAssembly, with every
// statement of the one connection in turn, so there the same test uses fewer rows.
const ON_POSTGRES = Boolean(process.env.DATABASE_URL);
const OLD_RUNS = ON_POSTGRES ? 1_000_000 : 100_000;
const DEAD_JOBS = 100; // jobs that stopped: only old runs, so their latest run is old
const LIVE_JOBS = 20; // jobs still reporting: old runs and recent ones
const RECENT_RUNS = 2_000;
const DAY = 86_400_000;

let db: TestDatabase;
let workspaceId: string;
let longHistoryId: string;
const now = new Date();
const cutoff = new Date(now.getTime() - 90 * DAY);
/** Old runs that must survive: the dead jobs' latest runs, an open incident's, a pending alert's. */
let kept: string[] = [];
const refs = {} as {
  attemptRun: string;
  sentAlert: string;
  resolvedIncident: string;
  rerun: string;
  unfinishedRun: string;
};

/** Old run i (1-based) has a predictable id, so fixtures can point at it without a lookup. */
const oldRunId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

beforeAll(async () => {
  db = await createTestDatabase();
  provideDatabase(db.sql);
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "History")).id;
  // A workspace that keeps a year: its runs of the same age stay.
  longHistoryId = (await seedWorkspace(db.sql, owner, "Long history")).id;
  await withService(db.sql, async (tx) => {
    await tx`update workspaces set run_history_days = 365 where id = ${longHistoryId}`;
    await tx`
      insert into jobs (workspace_id, job_key, title, notify_policy)
      select ${workspaceId}, case when i <= ${DEAD_JOBS} then 'dead-' || i else 'live-' || (i - ${DEAD_JOBS}) end, 'Job ' || i, 'never'
      from generate_series(1, ${DEAD_JOBS + LIVE_JOBS}) i`;
    await tx`insert into jobs (workspace_id, job_key, title) values (${longHistoryId}, 'kept-job', 'Kept job')`;
  });

  const started = Date.now();
  // One statement: old run i finished 100 days plus i seconds ago, on job i mod 120. Like
  // bench/seed-scale, the bulk load skips the per-row statistics rollup, which is not under test
  // here; the reports sent while trimming do go through it.
  await db.sql.begin(async (tx) => {
    const [rollups] = await tx`select 1 from pg_trigger where tgname = 'runs_count_in_stats'`;
    if (rollups) await tx`alter table runs disable trigger runs_count_in_stats`;
    await tx`
      with j as (select array_agg(id order by id) as ids from jobs where workspace_id = ${workspaceId})
      insert into runs (id, workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms, exit_code)
      select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, ${workspaceId},
             j.ids[1 + i % ${DEAD_JOBS + LIVE_JOBS}],
             case when i % 10 = 0 then 'failed' else 'succeeded' end, 'report',
             t, t, t + interval '1 second', 1000, case when i % 10 = 0 then 1 else 0 end
      from j, generate_series(1, ${OLD_RUNS}) i,
           lateral (select ${now}::timestamptz - interval '100 days' - i * interval '1 second' as t) at`;
    if (rollups) await tx`alter table runs enable trigger runs_count_in_stats`;
  });
  console.info(`inserted ${OLD_RUNS} old runs in ${Date.now() - started} ms (${db.kind})`);

  await withService(db.sql, async (tx) => {
    await tx`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
      select ${workspaceId}, j.id, 'succeeded', 'report', t, t, t + interval '1 second', 1000
      from (select id, row_number() over (order by id) as n from jobs where workspace_id = ${workspaceId} and job_key like 'live-%') j,
           generate_series(1, ${RECENT_RUNS / LIVE_JOBS}) i,
           lateral (select ${now}::timestamptz - interval '10 days' + (i * ${LIVE_JOBS} + j.n) * interval '1 minute' as t) at`;
    await tx`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
      select ${longHistoryId}, j.id, 'succeeded', 'report', t, t, t + interval '1 second', 1000
      from jobs j, generate_series(1, 500) i, lateral (select ${now}::timestamptz - interval '100 days' - i * interval '1 minute' as t) at
      where j.workspace_id = ${longHistoryId}`;
    await tx`
      update jobs j set last_run_id = (
        select r.id from runs r where r.job_id = j.id order by r.queued_at desc, r.id desc limit 1)
      where j.workspace_id in (${workspaceId}, ${longHistoryId})`;

    // The open incident's first and last runs are old and not its job's latest.
    const [deadJob] = await tx<{ id: string; last_run_id: string }[]>`
      select id, last_run_id from jobs where workspace_id = ${workspaceId} and job_key = 'dead-7'`;
    const incidentRuns = await tx<{ id: string }[]>`
      select id from runs where job_id = ${deadJob!.id} and id <> ${deadJob!.last_run_id} order by finished_at desc limit 2`;
    await tx`
      insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, failure_count)
      values (${workspaceId}, ${deadJob!.id}, 'failed', ${cutoff}, ${incidentRuns[1]!.id}, ${incidentRuns[0]!.id}, 2)`;

    // References that must not keep their runs: each is set null, or goes with the run.
    const [liveJob] = await tx<{ id: string }[]>`select id from jobs where workspace_id = ${workspaceId} and job_key = 'live-1'`;
    const liveOld = await tx<{ id: string }[]>`
      select id from runs where job_id = ${liveJob!.id} and finished_at < ${cutoff} order by finished_at limit 5`;
    refs.attemptRun = liveOld[0]!.id;
    await tx`insert into run_attempts (workspace_id, run_id, attempt, status) values (${workspaceId}, ${refs.attemptRun}, 1, 'succeeded')`;
    const [sent] = await tx<{ id: string }[]>`
      insert into alerts (workspace_id, job_id, run_id, kind, status) values (${workspaceId}, ${liveJob!.id}, ${liveOld[1]!.id}, 'failure', 'sent')
      returning id`;
    refs.sentAlert = sent!.id;
    const [resolved] = await tx<{ id: string }[]>`
      insert into incidents (workspace_id, job_id, kind, opened_at, resolved_at, first_run_id, last_run_id, resolved_by_run_id)
      values (${workspaceId}, ${liveJob!.id}, 'failed', ${new Date(now.getTime() - 120 * DAY)}, ${cutoff},
              ${liveOld[2]!.id}, ${liveOld[2]!.id}, ${liveOld[3]!.id})
      returning id`;
    refs.resolvedIncident = resolved!.id;
    const [rerun] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, rerun_of, finished_at)
      values (${workspaceId}, ${liveJob!.id}, 'succeeded', 'rerun', ${liveOld[4]!.id}, ${now}) returning id`;
    refs.rerun = rerun!.id;
    // An alert not delivered yet keeps its run, so the message can still link to it. It waits
    // for a retry tomorrow, so the deliveries the reports below set off leave it pending.
    const [pendingRun] = await tx<{ id: string }[]>`
      select id from runs where job_id = ${liveJob!.id} and finished_at < ${cutoff} order by finished_at desc limit 1`;
    await tx`
      insert into alerts (workspace_id, job_id, run_id, kind, status, attempts, next_attempt_at)
      values (${workspaceId}, ${liveJob!.id}, ${pendingRun!.id}, 'failure', 'pending', 3, ${new Date(now.getTime() + DAY)})`;
    // Never finished: not history yet, whatever its age (the tick times it out or marks it lost).
    const [unfinished] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at)
      values (${workspaceId}, ${liveJob!.id}, 'running', 'report', ${new Date(now.getTime() - 200 * DAY)}, ${new Date(now.getTime() - 200 * DAY)})
      returning id`;
    refs.unfinishedRun = unfinished!.id;

    kept = [
      ...(await tx<{ id: string }[]>`
        select last_run_id as id from jobs where workspace_id = ${workspaceId} and job_key like 'dead-%'`),
      ...incidentRuns,
      pendingRun!,
    ].map((row) => row.id).sort();
  });
  await db.sql`analyze runs`;
}, 600_000);

afterAll(async () => {
  await db?.close();
});

const oldInWorkspace = async () =>
  (await db.sql<{ id: string }[]>`
    select id from runs where workspace_id = ${workspaceId} and finished_at < ${cutoff} order by id`).map((row) => row.id);

describe("run history", () => {
  it(`deletes ${OLD_RUNS.toLocaleString("en")} old runs in batches while reports keep arriving, keeping what is in use${ON_POSTGRES ? "" : " (fewer rows on PGlite)"}`, async () => {
    expect(kept).toHaveLength(DEAD_JOBS + 3);
    expect(kept.every((id) => id <= oldRunId(OLD_RUNS))).toBe(true);

    let trimming = true;
    const accepted: IngestResult[] = [];
    const latencies: number[] = [];
    // Reports go to jobs still reporting and to a few new ones (well inside the workspace's quota
    // of reported jobs), so the set of old runs to keep stays fixed. Failures, which open and add
    // to incidents, go to the jobs that send no alerts, so no delivery outlives the test.
    const reporter = async (lane: number) => {
      for (let n = 0; trimming; n++) {
        const isNewJob = n % 3 === 0 && n < 60;
        const report = reportSchema.parse({
          job_key: isNewJob ? `new-${lane}-${n}` : `live-${1 + ((n + lane) % LIVE_JOBS)}`,
          title: "Concurrent report",
          status: !isNewJob && n % 7 === 1 ? "error" : "success",
          finished_at: new Date().toISOString(),
          duration_ms: 250,
          message: `report ${lane}/${n}`,
        });
        const sent = Date.now();
        accepted.push(await ingestReport(db.sql, { workspaceId, report }));
        latencies.push(Date.now() - sent);
        // A steady stream (about 80 reports a second in all), not a flood that starves the trim of CPU.
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };

    const started = Date.now();
    const lanes = [reporter(1), reporter(2)];
    let result: Awaited<ReturnType<typeof trimOldRuns>>;
    try {
      result = await trimOldRuns(db.sql, now);
    } finally {
      trimming = false;
      await Promise.all(lanes);
    }
    const elapsed = Date.now() - started;
    const slowest = Math.max(...latencies);
    console.info(
      `trimmed ${result.deleted} runs in ${elapsed} ms (${db.kind}); ${accepted.length} reports meanwhile, slowest ${slowest} ms`,
    );

    expect(result).toEqual({ deleted: OLD_RUNS - kept.length, done: true });
    expect(await oldInWorkspace()).toEqual(kept);

    const [counts] = await db.sql<{ recent: number; long_history: number; unfinished: number }[]>`
      select
        (select count(*)::int from runs where workspace_id = ${workspaceId} and finished_at >= ${cutoff} and finished_at < ${now}
           and trigger = 'report') as recent,
        (select count(*)::int from runs where workspace_id = ${longHistoryId}) as long_history,
        (select count(*)::int from runs where id = ${refs.unfinishedRun}) as unfinished`;
    expect(counts).toEqual({ recent: RECENT_RUNS, long_history: 500, unfinished: 1 });

    // Every report made while trimming was recorded, and its run is there.
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.every((report) => report.runId !== null && !report.isDuplicate)).toBe(true);
    const runIds = accepted.map((report) => report.runId!);
    const [present] = await db.sql<{ n: number }[]>`select count(*)::int as n from runs where id = any(${runIds}::uuid[])`;
    expect(present!.n).toBe(new Set(runIds).size);
    if (ON_POSTGRES) expect(slowest).toBeLessThan(5_000);

    const [after] = await db.sql<Record<string, unknown>[]>`
      select
        (select count(*)::int from run_attempts where run_id = ${refs.attemptRun}) as attempts,
        (select run_id from alerts where id = ${refs.sentAlert}) as alert_run,
        (select row(first_run_id, last_run_id, resolved_by_run_id)::text from incidents where id = ${refs.resolvedIncident}) as incident_runs,
        (select rerun_of from runs where id = ${refs.rerun}) as rerun_of,
        (select count(*)::int from jobs where workspace_id = ${workspaceId} and job_key like 'dead-%' and last_run_id is null) as jobs_without_latest`;
    expect(after).toEqual({ attempts: 0, alert_run: null, incident_runs: "(,,)", rerun_of: null, jobs_without_latest: 0 });
  }, 600_000);

  it("stops starting batches once its time budget is spent, and the next call carries on", async () => {
    const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      select id from jobs where workspace_id = ${workspaceId} and job_key = 'live-2'`);
    await withService(db.sql, (tx) => tx`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, finished_at)
      select ${workspaceId}, ${job!.id}, 'succeeded', 'report', t, t
      from generate_series(1, 30) i, lateral (select ${now}::timestamptz - interval '95 days' - i * interval '1 minute' as t) at`);
    expect(await trimOldRuns(db.sql, now, { batchSize: 10, budgetMs: 0 })).toEqual({ deleted: 0, done: false });
    expect(await trimOldRuns(db.sql, now, { batchSize: 10 })).toEqual({ deleted: 30, done: true });
  });

  it("runs both trims in the daily retention function", async () => {
    const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      select id from jobs where workspace_id = ${workspaceId} and job_key = 'live-3'`);
    const [oldRun, loggedRun] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, finished_at, log)
      values (${workspaceId}, ${job!.id}, 'failed', 'report', ${new Date(Date.now() - 91 * DAY)}, ${new Date(Date.now() - 91 * DAY)}, 'old log'),
             (${workspaceId}, ${job!.id}, 'failed', 'report', ${new Date(Date.now() - 8 * DAY)}, ${new Date(Date.now() - 8 * DAY)}, 'week-old log')
      returning id`);
    const { result } = await new InngestTestEngine({ function: retention }).execute();
    expect(result).toMatchObject({ runsDeleted: 1 });
    expect((result as { logsTrimmed: number }).logsTrimmed).toBeGreaterThanOrEqual(1);
    const rows = await db.sql`select id, log from runs where id in (${oldRun!.id}, ${loggedRun!.id})`;
    expect(rows).toEqual([{ id: loggedRun!.id, log: null }]);
  });
});

describe("the run history setting", () => {
  let settingsWorkspace: string;
  const people = {} as Record<"admin" | "operator", TestUser>;

  beforeAll(async () => {
    const owner = await seedUser(db.sql, "settings-owner");
    settingsWorkspace = (await seedWorkspace(db.sql, owner, "Settings")).id;
    for (const role of ["admin", "operator"] as const) {
      people[role] = await seedUser(db.sql, role);
      await addMember(db.sql, settingsWorkspace, people[role], role);
    }
  });

  const values = { name: "Settings", timezone: "Asia/Tokyo", retentionDays: 14, defaultGraceSeconds: 300 };

  it("is 90 days for a new workspace, and an admin's change is in the audit log", async () => {
    const admin = people.admin;
    expect((await asUser(db.sql, admin, (tx) => getWorkspaceSettings(tx, settingsWorkspace)))!.run_history_days).toBe(90);
    await asUser(db.sql, admin, (tx) =>
      updateWorkspaceSettings(tx, { workspaceId: settingsWorkspace, values: { ...values, runHistoryDays: 400 }, actor: { userId: admin.id, email: admin.email } }),
    );
    const [row] = await db.sql<{ run_history_days: number; retention_days: number }[]>`
      select run_history_days, retention_days from workspaces where id = ${settingsWorkspace}`;
    expect(row).toEqual({ run_history_days: 400, retention_days: 14 });
    const [entry] = await db.sql<{ actor_label: string; detail: { before: Record<string, unknown>; after: Record<string, unknown> } }[]>`
      select actor_label, detail from audit_log
      where workspace_id = ${settingsWorkspace} and action = 'workspace.settings_updated' order by created_at desc limit 1`;
    expect(entry!.actor_label).toBe(admin.email);
    expect(entry!.detail.before).toMatchObject({ run_history_days: 90, retention_days: 7 });
    expect(entry!.detail.after).toMatchObject({ run_history_days: 400, retention_days: 14 });
  });

  it("is refused by the database out of bounds, below the log retention, or to anyone below admin", async () => {
    const refusals = await asUser(db.sql, people.admin, async (tx) => ({
      zero: await outcome(tx, (sp) => sp`update workspaces set run_history_days = 0 where id = ${settingsWorkspace}`),
      tooLong: await outcome(tx, (sp) => sp`update workspaces set run_history_days = 3651 where id = ${settingsWorkspace}`),
      belowLogs: await outcome(tx, (sp) => sp`update workspaces set run_history_days = 13 where id = ${settingsWorkspace}`),
      logsPastRuns: await outcome(tx, (sp) => sp`update workspaces set retention_days = 365, run_history_days = 364 where id = ${settingsWorkspace}`),
      equal: await outcome(tx, (sp) => sp`update workspaces set run_history_days = 14 where id = ${settingsWorkspace}`),
    }));
    expect(refusals).toEqual({ zero: "23514", tooLong: "23514", belowLogs: "23514", logsPastRuns: "23514", equal: "ok" });
    const changed = await asUser(db.sql, people.operator, (tx) => tx`
      update workspaces set run_history_days = 1, retention_days = 1 where id = ${settingsWorkspace} returning id`);
    expect(changed).toHaveLength(0);
    await expect(
      asUser(db.sql, people.operator, (tx) =>
        updateWorkspaceSettings(tx, {
          workspaceId: settingsWorkspace,
          values: { ...values, runHistoryDays: 30 },
          actor: { userId: people.operator.id, email: people.operator.email },
        }),
      ),
    ).rejects.toThrow(/Only admins/);
  });
});
