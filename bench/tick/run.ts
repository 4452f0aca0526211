// bench/tick: how long one schedule tick takes at 10,000 scheduled jobs, on a simulated clock
// against a real PostgreSQL. The jobs run on the same mix of schedules as bench/seed-scale (ten
// times as many): managed HTTP jobs the tick queues, and reported jobs it checks for misses.
// Between ticks, outside the timing, the queued runs "execute" and the reported jobs report,
// except one in a hundred, which go missing.
//
//   eval "$(scripts/start-test-postgres.sh)"    # or any local DATABASE_URL
//   npm run bench:tick                          # BENCH_JOBS=10000 BENCH_TICKS=15 BENCH_CATCH_UP=20
import { randomBytes } from "node:crypto";
import { migrate } from "@/server/db/migrate";
import { createSql, type Sql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { runScheduleTick } from "@/server/schedule/tick";
import { latestSlot } from "@/server/schedule/slots";

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const TICKS = Number(process.env.BENCH_TICKS ?? 15);
/**
 * Untimed ticks before the timed ones. At first every job is due, and a tick handles a bounded
 * number of jobs and fills in what it works out ahead a thousand jobs a minute: twenty minutes
 * bring the timed top of the hour to where a server that has been running would meet it.
 */
const CATCH_UP_TICKS = Number(process.env.BENCH_CATCH_UP ?? 20);
const START = new Date("2026-11-24T00:00:10Z");
const DAY = 86_400_000;

// The mix of bench/seed-scale, per 1,000 jobs: [jobs, period in seconds, the same as cron].
const TIERS: [number, number, string][] = [
  [6, 60, "* * * * *"],
  [30, 600, "*/10 * * * *"],
  [120, 3_600, "0 * * * *"],
  [150, 21_600, "0 */6 * * *"],
  [450, 86_400, "0 3 * * *"],
  [234, 604_800, "0 3 * * 1"],
  [10, 0, ""],
];
const ZONES = ["UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin"];

type BenchJob = { id: string; kind: string; cron: string | null; zone: string | null; period: number | null; created_at: Date; idx: number };

async function prepare(serverUrl: string): Promise<{ sql: Sql; name: string; workspaceId: string; jobs: BenchJob[] }> {
  const name = `jobboard_bench_tick_${randomBytes(4).toString("hex")}`;
  const admin = createSql(serverUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: 10 });
  await migrate(sql);
  const scale = JOBS / 1000;
  const plan = TIERS.flatMap(([count, period, cron]) => Array.from({ length: Math.round(count * scale) }, () => ({ period, cron })));
  const rows = plan.map((tier, idx) => ({
    idx,
    kind: idx % 5 < 3 ? "reported" : "http",
    // Half the jobs on a cron in one of four zones, half on a fixed period.
    cron: tier.period && idx % 2 === 0 ? tier.cron : null,
    zone: tier.period && idx % 2 === 0 ? ZONES[idx % ZONES.length]! : null,
    period: tier.period && idx % 2 === 1 ? tier.period : null,
  }));
  const workspaceId = await withService(sql, async (tx) => {
    const [workspace] = await tx<{ id: string }[]>`insert into workspaces (name, slug) values ('Tick bench', 'tick-bench') returning id`;
    await tx`
      insert into jobs (workspace_id, job_key, title, kind, http_target, schedule_cron, schedule_timezone,
                        schedule_period_seconds, grace_seconds, created_at)
      select ${workspace!.id}, 'job-' || r.idx, 'Job ' || r.idx, r.kind,
             case when r.kind = 'http' then '{"method":"POST","url":"https://example.com/hook"}'::jsonb end,
             r.cron, r.zone, r.period, 120, ${new Date(START.getTime() - 30 * DAY)}
      from jsonb_to_recordset(${tx.json(rows as never)}) as r(idx int, kind text, cron text, zone text, period int)`;
    return workspace!.id;
  });
  const jobs = await sql<BenchJob[]>`
    select id, kind, schedule_cron as cron, schedule_timezone as zone, schedule_period_seconds as period, created_at,
           substr(job_key, 5)::int as idx
    from jobs where workspace_id = ${workspaceId}`;
  // Ten runs of history per job, so the missed checks look through real rows.
  await sql`
    insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
    select ${workspaceId}, j.id, 'succeeded', 'report', t, t, t + interval '1 second', 1000
    from jobs j, generate_series(${new Date(START.getTime() - 10 * DAY)}::timestamptz, ${new Date(START.getTime() - DAY)}::timestamptz, interval '1 day') t
    where j.workspace_id = ${workspaceId}`;
  // And each reported job's latest slot before the first tick, but for those that go missing.
  const firstTick = new Date(START.getTime() - CATCH_UP_TICKS * 60_000);
  const latest = jobs.flatMap((job) => {
    const slot = job.kind === "reported" && job.idx % 100 !== 0 ? latestSlot({ cron: job.cron, timezone: job.zone, periodSeconds: job.period }, firstTick, job.created_at) : null;
    return slot ? [{ id: job.id, at: slot.toISOString() }] : [];
  });
  await sql`
    insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
    select ${workspaceId}, r.id, 'succeeded', 'report', r.at, r.at, r.at + interval '1 second', 1000
    from jsonb_to_recordset(${sql.json(latest as never)}) as r(id uuid, at timestamptz)`;
  await pointAtLatestRuns(sql, workspaceId);
  await sql`vacuum analyze`;
  return { sql, name, workspaceId, jobs };
}

/** Each job's latest-run pointer, as the app keeps it when it claims a run or takes a report. */
async function pointAtLatestRuns(sql: Sql, workspaceId: string): Promise<void> {
  await sql`
    update jobs j set last_run_id = latest.id
    from (select distinct on (job_id) job_id, id from runs where workspace_id = ${workspaceId}
          order by job_id, queued_at desc, id desc) latest
    where j.id = latest.job_id and j.last_run_id is distinct from latest.id`;
}

/** What the world does between ticks: queued runs are executed, reported jobs report their latest slot. */
async function between(sql: Sql, workspaceId: string, jobs: BenchJob[], now: Date): Promise<void> {
  await sql`
    update runs set status = 'succeeded', started_at = queued_at, finished_at = ${now}, duration_ms = 1000
    where workspace_id = ${workspaceId} and status = 'queued'`;
  const reports: { id: string; at: string }[] = [];
  for (const job of jobs) {
    if (job.kind !== "reported" || job.idx % 100 === 0) continue;
    const slot = latestSlot({ cron: job.cron, timezone: job.zone, periodSeconds: job.period }, now, job.created_at);
    if (slot && now.getTime() - slot.getTime() < 60_000) reports.push({ id: job.id, at: slot.toISOString() });
  }
  if (reports.length > 0) {
    await sql`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
      select ${workspaceId}, r.id, 'succeeded', 'report', r.at, r.at, r.at + interval '1 second', 1000
      from jsonb_to_recordset(${sql.json(reports as never)}) as r(id uuid, at timestamptz)`;
  }
  await pointAtLatestRuns(sql, workspaceId);
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("Set DATABASE_URL to a local PostgreSQL (see bench/README.md).");
  const db = await prepare(serverUrl);
  try {
    console.log(`bench/tick: ${db.jobs.length} scheduled jobs (${db.jobs.filter((j) => j.kind === "http").length} managed), ${TICKS} ticks a minute apart, timed, after ${CATCH_UP_TICKS} untimed`);
    const times: number[] = [];
    let dispatched = 0;
    for (let i = -CATCH_UP_TICKS; i < TICKS; i++) {
      const now = new Date(START.getTime() + i * 60_000);
      await between(db.sql, db.workspaceId, db.jobs, now);
      const started = performance.now();
      const result = await runScheduleTick(db.sql, now, async () => {
        dispatched += 1;
      });
      const ms = performance.now() - started;
      if (i < 0) console.log(`  catch-up tick ${String(i + CATCH_UP_TICKS + 1).padEnd(2)}                  ${ms.toFixed(0).padStart(5)} ms   queued ${result.queued.length}, missed ${result.missed.length}`);
      else {
        times.push(ms);
        if (process.env.BENCH_VERBOSE) console.log(`  tick ${now.toISOString().slice(11, 16)}                         ${ms.toFixed(0).padStart(5)} ms   queued ${result.queued.length}, missed ${result.missed.length}`);
      }
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    console.log(`  timed ticks                       p50 ${at(0.5).toFixed(0)} ms   p95 ${at(0.95).toFixed(0)} ms   max ${times.at(-1)!.toFixed(0)} ms   (goal ≤ 200 ms)`);
    const [counts] = await db.sql`
      select (select count(*) from runs where trigger = 'schedule' and scheduled_for >= ${START})::int as queued,
             (select count(*) from incidents where kind = 'missed')::int as missed`;
    console.log(`  timed ticks: ${counts!.queued} runs queued; all ticks: ${dispatched} dispatches, ${counts!.missed} missed incidents`);
  } finally {
    await db.sql.end();
    if (process.env.BENCH_KEEP) {
      console.log(`kept database ${db.name}`);
    } else {
      const admin = createSql(serverUrl, { max: 1 });
      await admin.unsafe(`drop database if exists ${db.name}`);
      await admin.end();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
