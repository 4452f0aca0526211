// bench/seed-scale: one workspace with 1,000 jobs and 1,000,000 runs over 60 days, for bench/pages;
// `--scale N` multiplies both (--scale 10: 10,000 jobs, 10,000,000 runs).
// Loads with a few set-based statements (insert … select … from generate_series), not row by row.
//
//   eval "$(scripts/start-test-postgres.sh)"    # or any local DATABASE_URL
//   npm run bench:seed-scale                    # -- --scale 10; -- --force to replace a database that holds other data
//
// It (re)creates the database BENCH_DATABASE (default jobboard_bench_scale, or
// jobboard_bench_scale_N at --scale N) on that server, and signs nobody in: bench/pages mints a
// session for SCALE_USER itself.
import path from "node:path";
import { createUser } from "@/server/auth/users";
import { migrate } from "@/server/db/migrate";
import { createSql, type Sql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { taskParamsJsonSchema } from "@/server/tasks";
import { PIPELINE_STAGES } from "@/server/tasks/demo-pipeline";
import { createWorkspace } from "@/server/workspaces/service";

/** `--scale N` (or `--scale=N`) on the command line; 1 without it. */
function scaleFromArgs(): number {
  const at = process.argv.findIndex((arg) => arg === "--scale" || arg.startsWith("--scale="));
  if (at < 0) return 1;
  const value = Number(process.argv[at]!.includes("=") ? process.argv[at]!.split("=")[1] : process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 100) throw new Error("--scale takes a whole number from 1 to 100");
  return value;
}

export const SCALE = scaleFromArgs();
export const SCALE_DATABASE = process.env.BENCH_DATABASE ?? (SCALE === 1 ? "jobboard_bench_scale" : `jobboard_bench_scale_${SCALE}`);
export const SCALE_USER = { email: "bench@jobboard.local", password: "jobboard-bench" };
export const SCALE_WORKSPACE = { name: "Bench scale", slug: "bench-scale" };
export const SCALE_JOBS = 1_000 * SCALE;
export const SCALE_RUNS = 1_000_000 * SCALE;
const DAYS = 60;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// How often jobs run: a few every minute carry half the runs, most run hourly or daily.
const TIERS = [
  { jobs: 6, periodS: 60, tag: "minutely", baseMs: [500, 15_000] },
  { jobs: 30, periodS: 600, tag: "every-10-min", baseMs: [2_000, 120_000] },
  { jobs: 120, periodS: 3_600, tag: "hourly", baseMs: [5_000, 15 * MINUTE] },
  { jobs: 150, periodS: 21_600, tag: "6-hourly", baseMs: [30_000, HOUR] },
  { jobs: 450, periodS: 86_400, tag: "daily", baseMs: [MINUTE, 2 * HOUR] },
  { jobs: 234, periodS: 604_800, tag: "weekly", baseMs: [10 * MINUTE, 4 * HOUR] },
  { jobs: 10, periodS: 0, tag: "new", baseMs: [1_000, 1_000] },
] as const;

const DOMAINS = ["billing", "orders", "inventory", "search", "email", "reports", "ml", "etl", "backup", "crm", "analytics", "payments", "catalog", "users"];
const VERBS = ["sync", "export", "import", "rollup", "cleanup", "reindex", "train", "refresh", "digest", "reconcile", "snapshot"];

// Failed runs carry one of these, formatted with (job key, run number).
const STDERR_TEMPLATES = [
  `Traceback (most recent call last):
  File "/srv/jobs/%1$s/main.py", line 214, in <module>
    main()
  File "/srv/jobs/%1$s/main.py", line 187, in main
    batch = fetch_batch(conn, cursor_id=%2$s)
  File "/srv/jobs/%1$s/db.py", line 61, in fetch_batch
    cur.execute(BATCH_QUERY, params)
  File "/usr/lib/python3/dist-packages/psycopg2/extras.py", line 146, in execute
    return super().execute(query, vars)
psycopg2.OperationalError: server closed the connection unexpectedly
	This probably means the server terminated abnormally
	before or while processing the request.`,
  `node:internal/process/promises:289
            triggerUncaughtException(err, true /* fromPromise */);
            ^

Error: Request failed with status code 503 (run %2$s of %1$s)
    at createError (/app/node_modules/axios/lib/core/createError.js:16:15)
    at settle (/app/node_modules/axios/lib/core/settle.js:17:12)
    at IncomingMessage.handleStreamEnd (/app/node_modules/axios/lib/adapters/http.js:269:11)
    at IncomingMessage.emit (node:events:529:35)
    at endReadableNT (node:internal/streams/readable:1400:12)
    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)`,
  `ERROR: job %1$s failed at step 3/5 (run %2$s)
rsync: [sender] write error: Broken pipe (32)
rsync error: error in socket IO (code 10) at io.c(848) [sender=3.2.7]
exit status 10`,
  `RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity;
19.87 GiB already allocated; 1.12 GiB free; 21.01 GiB reserved in total by PyTorch)
  File "train.py", line 88, in train_epoch  [%1$s, run %2$s]
    loss = model(batch).loss`,
];
const FAILURE_MESSAGES = [
  "exited with code 1",
  "Connection reset by peer",
  "upstream returned 503",
  "disk quota exceeded",
  "validation failed: 12 rows rejected",
  "Killed (out of memory)",
];

/** A small seeded PRNG, so every seed lays out the same jobs. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Kind = "reported" | "http" | "task";

/** One job and how its runs are laid out; goes to the database as JSON. */
type PlanRow = {
  job_idx: number;
  job_key: string;
  title: string;
  description: string;
  kind: Kind;
  schedule_cron: string | null;
  schedule_timezone: string | null;
  schedule_period_seconds: number | null;
  grace_seconds: number | null;
  timeout_seconds: number | null;
  max_retries: number;
  concurrency_policy: "allow" | "forbid" | "replace";
  paused: boolean;
  tags: string[];
  http_target: Record<string, unknown> | null;
  task_name: string | null;
  params_schema: Record<string, unknown> | null;
  default_params: Record<string, unknown>;
  created_at: string;
  // The layout of its runs: n runs, one every period_ms, the newest at end_at.
  n: number;
  period_ms: number;
  end_at: string;
  base_ms: number;
  timeout_ms: number | null;
  fail_rate: number;
  managed: boolean;
  stages: string[] | null;
  host: string;
  /** The newest `tail_fail` runs fail (an open incident of kind `tail_kind`). */
  tail_fail: number;
  tail_kind: "failed" | "timed_out";
  /** The newest run is still running or queued. */
  last_state: "running" | "queued" | null;
  /** Reports stopped: an open "missed" incident. */
  missed: boolean;
};

export type ScalePlanSummary = { jobs: number; runs: number; failing: number; missed: number; running: number; queued: number; paused: number };

function cronFor(periodS: number, i: number): string | null {
  switch (periodS) {
    case 60:
      return "* * * * *";
    case 600:
      return "*/10 * * * *";
    case 3_600:
      return `${i % 60} * * * *`;
    case 21_600:
      return `${i % 60} */6 * * *`;
    case 86_400:
      return `${i % 60} ${i % 24} * * *`;
    case 604_800:
      return `${i % 60} ${i % 24} * * ${i % 7}`;
    default:
      return null;
  }
}

/** Lays out the 1,000 jobs (times the scale): schedules, kinds, tags, and which ones are failing, missed, running or paused. */
export function planJobs(now: Date): PlanRow[] {
  const random = mulberry32(20261128);
  const between = (low: number, high: number) => Math.round(low * Math.pow(high / low, random()));
  const plan: PlanRow[] = [];
  let i = 0;
  for (const tier of TIERS) {
    for (let k = 0; k < tier.jobs * SCALE; k++, i++) {
      const domain = DOMAINS[i % DOMAINS.length]!;
      const verb = VERBS[(i * 7) % VERBS.length]!;
      const kind: Kind = i % 10 < 6 ? "reported" : i % 10 < 8 ? "http" : "task";
      const managed = kind !== "reported";
      const taskName = kind === "task" ? (i % 20 === 8 ? "fail-on-demand" : "demo-pipeline") : null;
      const periodS = tier.periodS;
      const n = periodS === 0 ? 0 : Math.floor((DAYS * 86_400) / periodS);
      // A run takes at most 30% of its period, so runs of one job do not overlap.
      const baseMs = Math.min(between(tier.baseMs[0], tier.baseMs[1]), periodS > 0 ? periodS * 300 : Infinity);
      const timeoutMs = managed ? Math.ceil((baseMs * 2.5) / 1000) * 1000 : null;
      // The weekly tier is partly ad hoc (a GPU box, a laptop): reported, no schedule.
      const adHoc = tier.tag === "weekly" && kind === "reported" && i % 3 === 0;
      const byPeriod = !managed && i % 2 === 0;
      const scheduled = periodS > 0 && !adHoc;
      const hosts = kind === "reported" ? (domain === "reports" ? "WIN-REPORT01" : domain === "ml" ? "gpu-box" : `cron-0${(i % 4) + 1}`) : `worker-${(i % 8) + 1}`;
      const tags = [domain, tier.tag, i % 5 === 0 ? "staging" : "prod"];
      if (hosts.startsWith("WIN")) tags.push("windows");
      if (hosts === "gpu-box") tags.push("gpu");
      plan.push({
        job_idx: i,
        job_key: `${domain}-${verb}-${String(i).padStart(4, "0")}`,
        title: `${domain[0]!.toUpperCase()}${domain.slice(1)} ${verb} ${String(i).padStart(4, "0")}`,
        description: `Bench job ${i}: ${tier.tag} ${verb} of ${domain}.`,
        kind,
        schedule_cron: scheduled && (managed || !byPeriod) ? cronFor(periodS, i) : null,
        schedule_timezone: scheduled && (managed || !byPeriod) ? "Asia/Tokyo" : null,
        schedule_period_seconds: scheduled && !managed && byPeriod ? periodS : null,
        grace_seconds: i % 4 === 0 ? 600 : null,
        timeout_seconds: timeoutMs === null ? null : timeoutMs / 1000,
        max_retries: managed ? i % 3 : 0,
        concurrency_policy: managed ? (["allow", "forbid", "replace"] as const)[i % 3]! : "allow",
        paused: false,
        tags,
        http_target: kind === "http" ? { method: "POST", url: `https://hooks.internal.example/jobs/${domain}/${i}`, headers: {} } : null,
        task_name: taskName,
        params_schema: taskName ? taskParamsJsonSchema(taskName) : null,
        default_params: taskName === "demo-pipeline" ? { step_ms: 500 } : {},
        created_at: "",
        n,
        period_ms: periodS * 1000,
        end_at: "",
        base_ms: baseMs,
        timeout_ms: timeoutMs,
        fail_rate: 0.035 + (i % 5) * 0.005,
        managed,
        stages: taskName === "demo-pipeline" || (kind === "reported" && i % 25 === 0) ? PIPELINE_STAGES : null,
        host: hosts,
        tail_fail: 0,
        tail_kind: "failed",
        last_state: null,
        missed: false,
      });
    }
  }

  // Exactly SCALE_RUNS runs: the every-10-minutes jobs started a few days later than the rest.
  const total = plan.reduce((sum, row) => sum + row.n, 0);
  const excess = total - SCALE_RUNS;
  const tenMinute = plan.filter((row) => row.period_ms === 600_000);
  if (excess < 0) throw new Error(`the tiers hold ${total} runs, fewer than ${SCALE_RUNS}`);
  tenMinute.forEach((row, k) => (row.n -= Math.floor(excess / tenMinute.length) + (k < excess % tenMinute.length ? 1 : 0)));

  // Who is special, picked from a seeded shuffle; the minutely jobs stay ordinary (one is the busy job).
  const order = plan.filter((row) => row.period_ms > 60_000).sort(() => random() - 0.5);
  const taken = new Set<number>();
  const pick = (count: number, fits: (row: PlanRow) => boolean) => {
    const rows = order.filter((row) => !taken.has(row.job_idx) && fits(row)).slice(0, count);
    for (const row of rows) taken.add(row.job_idx);
    return rows;
  };
  const inTier = (row: PlanRow, ...periodsS: number[]) => periodsS.includes(row.period_ms / 1000);
  const running = [
    ...pick(12, (row) => row.stages !== null && inTier(row, 3_600, 21_600, 86_400)),
    ...pick(4, (row) => inTier(row, 3_600, 21_600, 86_400)),
  ];
  const queued = pick(3, (row) => row.managed && inTier(row, 3_600, 21_600));
  const failing = pick(36, (row) => row.n > 5);
  const missed = pick(8, (row) => (row.schedule_cron !== null || row.schedule_period_seconds !== null) && inTier(row, 3_600, 21_600));
  const paused = pick(30, (row) => row.n > 0 && inTier(row, 21_600, 86_400, 604_800));
  const flaky = pick(40, (row) => row.n > 0);

  for (const row of running) row.last_state = "running";
  for (const row of queued) row.last_state = "queued";
  failing.forEach((row, k) => {
    row.tail_fail = 1 + (k % 5);
    row.tail_kind = k % 4 === 3 && row.managed ? "timed_out" : "failed";
  });
  for (const row of missed) row.missed = true;
  for (const row of paused) row.paused = true;
  for (const row of flaky) row.fail_rate = 0.2;

  // When each job's newest run was: a finished run has finished by now.
  for (const row of plan) {
    let endMs: number;
    if (row.last_state === "running") endMs = now.getTime() - Math.round(row.base_ms * (0.1 + 0.8 * random()));
    else if (row.last_state === "queued") endMs = now.getTime() - Math.round(5_000 * random());
    else if (row.missed) endMs = now.getTime() - Math.round(row.period_ms * (2 + random())) - (row.grace_seconds ?? 300) * 1000;
    else if (row.paused) endMs = now.getTime() - Math.round(DAY * (1 + 20 * random()));
    else {
      const settle = Math.min(row.base_ms * 2.6, row.period_ms * 0.9);
      endMs = now.getTime() - Math.round(settle + (row.period_ms - settle) * random());
    }
    const firstMs = endMs - Math.max(0, row.n - 1) * row.period_ms;
    row.end_at = new Date(endMs).toISOString();
    row.created_at = new Date(Math.min(firstMs, now.getTime()) - HOUR - Math.round(DAY * random())).toISOString();
  }
  return plan;
}

export function summarise(plan: PlanRow[]): ScalePlanSummary {
  return {
    jobs: plan.length,
    runs: plan.reduce((sum, row) => sum + row.n, 0),
    failing: plan.filter((row) => row.tail_fail > 0).length,
    missed: plan.filter((row) => row.missed).length,
    running: plan.filter((row) => row.last_state === "running").length,
    queued: plan.filter((row) => row.last_state === "queued").length,
    paused: plan.filter((row) => row.paused).length,
  };
}

/** The URL of database `name` on the server DATABASE_URL points at. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Whether the database holds nothing but this benchmark's data: no tables at all, or Jobboard's
 * schema with the bench workspace alone.
 */
async function holdsOnlyBenchData(url: string): Promise<boolean> {
  const sql = createSql(url, { max: 1 });
  try {
    const [tables] = await sql<{ count: number }[]>`
      select count(*)::int as count from pg_tables where schemaname = 'public'`;
    if (tables!.count === 0) return true;
    const [other] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.workspaces where slug <> ${SCALE_WORKSPACE.slug}`.catch(() => [{ count: 1 }]);
    return other!.count === 0;
  } finally {
    await sql.end();
  }
}

/** Drops (when it holds only bench data, or with `force`) and creates the bench database. */
async function recreateDatabase(serverUrl: string, name: string, force: boolean): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`BENCH_DATABASE "${name}" must be a plain lower-case identifier.`);
  const url = databaseUrl(serverUrl, name);
  const admin = createSql(databaseUrl(serverUrl, "postgres"), { max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (exists) {
      if (!force && !(await holdsOnlyBenchData(url))) {
        throw new Error(`Database ${name} holds data that is not this benchmark's; pass --force to replace it.`);
      }
      await admin.unsafe(`drop database ${name} with (force)`);
    }
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return url;
}

export type ScaleSeed = { url: string; workspaceId: string; userId: string; email: string };

/** The seeded bench workspace in the database at `url`, or undefined when it is missing or incomplete. */
export async function findScaleSeed(url: string): Promise<ScaleSeed | undefined> {
  const sql = createSql(url, { max: 1 });
  try {
    const [row] = await sql<{ workspace_id: string; user_id: string; runs: number }[]>`
      select w.id as workspace_id, m.user_id,
             (select count(*) from runs r where r.workspace_id = w.id)::int as runs
      from workspaces w
      join memberships m on m.workspace_id = w.id and m.role = 'owner'
      join auth.users u on u.id = m.user_id and u.email = ${SCALE_USER.email}
      where w.slug = ${SCALE_WORKSPACE.slug}`.catch(() => []);
    if (!row || row.runs < SCALE_RUNS) return undefined;
    return { url, workspaceId: row.workspace_id, userId: row.user_id, email: SCALE_USER.email };
  } finally {
    await sql.end();
  }
}

/**
 * Creates the bench database on the server at `serverUrl` and loads it. `log` hears each step
 * with its time.
 */
export async function seedScale(
  serverUrl: string,
  options: { force?: boolean; now?: Date; log?: (line: string) => void } = {},
): Promise<ScaleSeed & { summary: ScalePlanSummary }> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const started = performance.now();
  let lap = started;
  const step = (what: string) => {
    const at = performance.now();
    log(`  ${what.padEnd(44)} ${((at - lap) / 1000).toFixed(1).padStart(6)} s`);
    lap = at;
  };

  const url = await recreateDatabase(serverUrl, SCALE_DATABASE, options.force ?? false);
  const sql: Sql = createSql(url, { max: 2 });
  try {
    await migrate(sql);
    step("create database, migrate");

    const { userId, workspaceId } = await withService(sql, async (tx) => {
      const user = await createUser(tx, SCALE_USER);
      const workspace = await createWorkspace(tx, { ...SCALE_WORKSPACE, ownerId: user.id, ownerLabel: SCALE_USER.email });
      return { userId: user.id, workspaceId: workspace.id };
    });
    const plan = planJobs(now);
    const summary = summarise(plan);

    // One connection for the rest: the plan is a temporary table.
    const db = await sql.reserve();
    try {
      await db.unsafe("set work_mem = '256MB'; set maintenance_work_mem = '512MB'; set synchronous_commit = off; set statement_timeout = 0");
      await db`
        create temporary table bench_plan as
        select x.*, null::uuid as job_id
        from jsonb_to_recordset(${db.json(plan as never)}::jsonb) as x(
          job_idx int, job_key text, title text, description text, kind text, schedule_cron text,
          schedule_timezone text, schedule_period_seconds int, grace_seconds int, timeout_seconds int,
          max_retries int, concurrency_policy text, paused boolean, tags text[], http_target jsonb,
          task_name text, params_schema jsonb, default_params jsonb, created_at timestamptz,
          n int, period_ms bigint, end_at timestamptz, base_ms bigint, timeout_ms bigint, fail_rate float8,
          managed boolean, stages text[], host text, tail_fail int, tail_kind text, last_state text, missed boolean)`;
      await db`
        with inserted as (
          insert into jobs (workspace_id, job_key, title, description, kind, schedule_cron, schedule_timezone,
                            schedule_period_seconds, grace_seconds, timeout_seconds, max_retries, concurrency_policy,
                            paused, tags, http_target, task_name, params_schema, default_params, created_by,
                            created_at, updated_at)
          select ${workspaceId}, job_key, title, description, kind, schedule_cron, schedule_timezone,
                 schedule_period_seconds, grace_seconds, timeout_seconds, max_retries, concurrency_policy,
                 paused, tags, http_target, task_name, params_schema, default_params, ${userId},
                 created_at, created_at
          from bench_plan
          returning id, job_key)
        update bench_plan p set job_id = inserted.id from inserted where inserted.job_key = p.job_key`;
      step(`insert ${plan.length} jobs`);

      // Every run in one statement, oldest first (as they would have arrived, so one job's runs
      // are spread over the whole table, not packed together).
      // The statistics rollups are counted once, after the load, rather than run by run.
      const [rollups] = await db`select 1 from pg_trigger where tgname = 'runs_count_in_stats'`;
      if (rollups) await db`alter table runs disable trigger runs_count_in_stats`;
      await db`select setseed(0.2026)`;
      await db`
        insert into runs (workspace_id, job_id, status, trigger, triggered_by, external_id, attempt, scheduled_for,
                          queued_at, started_at, finished_at, duration_ms, exit_code, message, stderr_tail, log,
                          host, stages, current_stage, progress_percent, created_at, updated_at)
        select ${workspaceId}, t.job_id, t.status, t.trigger,
               case when t.trigger = 'manual' then ${userId}::uuid end,
               case when not t.managed then 'bench-' || t.job_idx || '-' || t.g end,
               case when t.managed and t.status in ('failed', 'timed_out') then 1 + t.max_retries else 1 end,
               case when t.trigger = 'schedule' then t.slot end,
               t.slot, t.started_at, t.started_at + t.duration_ms * interval '1 millisecond', t.duration_ms,
               case t.status when 'succeeded' then 0 when 'failed' then (array[1, 1, 2, 137])[1 + (t.g % 4)]
                             when 'timed_out' then 124 when 'canceled' then 130 end,
               case t.status
                 when 'succeeded' then format('processed %s rows', (t.r2 * 20000)::int)
                 when 'failed' then (${FAILURE_MESSAGES}::text[])[1 + (t.g % ${FAILURE_MESSAGES.length})]
                 when 'timed_out' then format('timed out after %s s', coalesce(t.timeout_ms, t.base_ms * 3) / 1000)
                 when 'canceled' then 'canceled by an operator'
                 when 'skipped' then 'skipped: the previous run was still running (forbid)'
                 when 'running' then case when t.stages is not null then format('stage %s of %s', t.stage_no, 8) end
               end,
               case when t.status in ('failed', 'timed_out')
                    then format((${STDERR_TEMPLATES}::text[])[1 + ((t.job_idx + t.g) % ${STDERR_TEMPLATES.length})], t.job_key, t.g)
               end,
               case when t.slot > ${now}::timestamptz - interval '7 days' and t.started_at is not null
                    then format(E'%s start %s on %s\n%s processed %s rows\n%s %s',
                                to_char(t.started_at, 'HH24:MI:SS'), t.job_key, t.host,
                                to_char(t.started_at, 'HH24:MI:SS'), (t.r2 * 20000)::int,
                                to_char(t.started_at, 'HH24:MI:SS'), t.status)
               end,
               t.host, t.stages,
               case when t.stages is not null and t.status not in ('queued', 'skipped') then t.stages[t.stage_no] end,
               case when t.stages is not null and t.status not in ('queued', 'skipped') then t.progress end,
               coalesce(t.started_at + t.duration_ms * interval '1 millisecond', t.started_at, t.slot),
               coalesce(t.started_at + t.duration_ms * interval '1 millisecond', t.started_at, t.slot)
        from (
          select s.*,
                 case when s.status in ('queued', 'skipped') then null else s.slot end as started_at,
                 case s.status
                   when 'succeeded' then round(s.base_ms * (0.7 + s.r2 * 0.6))
                   when 'failed' then round(s.base_ms * s.r2 * 0.9)
                   when 'timed_out' then coalesce(s.timeout_ms, s.base_ms * 3)
                   when 'canceled' then round(s.base_ms * s.r2 * 0.5)
                 end::bigint as duration_ms,
                 case s.status
                   when 'succeeded' then 8
                   when 'running' then least(8, 1 + floor(s.running_pct / 12.5))::int
                   else 1 + floor(s.r2 * 8)::int
                 end as stage_no,
                 case s.status
                   when 'succeeded' then 100
                   when 'running' then round(s.running_pct::numeric, 2)
                   else round((s.r2 * 100)::numeric, 2)
                 end as progress
          from (
            select u.*,
                   case
                     when u.age = 0 and u.last_state is not null then u.last_state
                     when u.age < u.tail_fail then u.tail_kind
                     when u.age = 0 then 'succeeded'
                     when u.r < u.fail_rate then 'failed'
                     when u.r < u.fail_rate + 0.006 then 'timed_out'
                     when u.managed and u.r < u.fail_rate + 0.012 then 'canceled'
                     when u.managed and u.concurrency_policy = 'forbid' and u.r < u.fail_rate + 0.016 then 'skipped'
                     else 'succeeded'
                   end as status,
                   case when u.managed then case when u.r2 < 0.01 and u.age > 0 then 'manual' else 'schedule' end
                        else 'report' end as trigger,
                   least(99, greatest(1, extract(epoch from (${now}::timestamptz - u.slot)) * 100000 / u.base_ms)) as running_pct
            from (
              select p.job_id, p.job_idx, p.job_key, p.managed, p.max_retries, p.concurrency_policy, p.base_ms,
                     p.timeout_ms, p.fail_rate, p.stages, p.host, p.tail_fail, p.tail_kind, p.last_state,
                     g, p.n - g as age, random() as r, random() as r2,
                     p.end_at - (p.n - g) * p.period_ms * interval '1 millisecond' as slot
              from bench_plan p
              cross join lateral generate_series(1, p.n) as g
              order by slot
              offset 0
            ) u
          ) s
        ) t`;
      step(`insert ${summary.runs.toLocaleString("en")} runs`);
      if (rollups) {
        await db`alter table runs enable trigger runs_count_in_stats`;
        await db`select private.rebuild_run_stats()`;
        step("hourly statistics rollups");
      }

      await db`
        update jobs j set last_run_id = (
          select r.id from runs r where r.job_id = j.id order by r.queued_at desc, r.id desc limit 1)
        where j.workspace_id = ${workspaceId}`;
      step("point each job at its latest run");

      // Open incidents: the failing tails, and the jobs whose reports stopped.
      await db`
        insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, failure_count,
                               last_message, acknowledged_at, acknowledged_by, updated_at)
        select ${workspaceId}, p.job_id, p.tail_kind, t.opened_at, t.first_id, t.last_id, p.tail_fail, t.last_message,
               case when p.job_idx % 3 = 0 then t.opened_at + interval '10 minutes' end,
               case when p.job_idx % 3 = 0 then ${userId}::uuid end,
               t.last_finished
        from bench_plan p
        cross join lateral (
          select (array_agg(r.id order by r.queued_at))[1] as first_id,
                 (array_agg(r.id order by r.queued_at desc))[1] as last_id,
                 min(r.finished_at) as opened_at, max(r.finished_at) as last_finished,
                 (array_agg(r.message order by r.queued_at desc))[1] as last_message
          from (select id, queued_at, finished_at, message from runs
                where job_id = p.job_id order by queued_at desc, id desc limit p.tail_fail) r
        ) t
        where p.tail_fail > 0`;
      await db`
        insert into incidents (workspace_id, job_id, kind, opened_at, last_run_id, failure_count, last_message, updated_at)
        select ${workspaceId}, p.job_id, 'missed',
               p.end_at + p.period_ms * interval '1 millisecond' + coalesce(p.grace_seconds, 300) * interval '1 second',
               j.last_run_id, 1, 'No report within the schedule and its grace period',
               p.end_at + p.period_ms * interval '1 millisecond' + coalesce(p.grace_seconds, 300) * interval '1 second'
        from bench_plan p join jobs j on j.id = p.job_id
        where p.missed`;
      // History: each failure that the next run recovered from was an incident, now resolved.
      await db`
        insert into incidents (workspace_id, job_id, kind, opened_at, resolved_at, resolved_by_run_id, first_run_id,
                               last_run_id, failure_count, last_message, updated_at)
        select r.workspace_id, r.job_id, case when r.status = 'timed_out' then 'timed_out' else 'failed' end,
               r.finished_at, nx.finished_at, nx.id, r.id, r.id, 1, r.message, nx.finished_at
        from runs r
        cross join lateral (
          select n.id, n.status, n.finished_at from runs n
          where n.job_id = r.job_id and n.queued_at > r.queued_at
          order by n.queued_at, n.id limit 1
        ) nx
        where r.workspace_id = ${workspaceId} and r.status in ('failed', 'timed_out')
          and nx.status = 'succeeded' and nx.finished_at >= r.finished_at`;
      step("open and resolved incidents");

      await db`drop table bench_plan`;
      await db.unsafe("vacuum (analyze)");
      step("vacuum (analyze)");
    } finally {
      db.release();
    }
    log(`  ${"total".padEnd(44)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`);
    return { url, workspaceId, userId, email: SCALE_USER.email, summary };
  } finally {
    await sql.end();
  }
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("Set DATABASE_URL to a local PostgreSQL (see bench/README.md).");
  const force = process.argv.includes("--force");
  console.log(`bench/seed-scale: database ${SCALE_DATABASE}, ${SCALE_JOBS.toLocaleString("en")} jobs, ${SCALE_RUNS.toLocaleString("en")} runs over ${DAYS} days`);
  const seed = await seedScale(serverUrl, { force, log: (line) => console.log(line) });
  const sql = createSql(seed.url, { max: 1 });
  try {
    const [counts] = await sql<{ jobs: number; runs: number; open: number; resolved: number; size: string }[]>`
      select (select count(*) from jobs)::int as jobs, (select count(*) from runs)::int as runs,
             (select count(*) from incidents where resolved_at is null)::int as open,
             (select count(*) from incidents where resolved_at is not null)::int as resolved,
             pg_size_pretty(pg_database_size(current_database())) as size`;
    const statuses = await sql<{ status: string; count: number }[]>`
      select status, count(*)::int as count from runs group by 1 order by 2 desc`;
    const s = seed.summary;
    console.log(`\nrows: ${counts!.jobs} jobs, ${counts!.runs} runs, ${counts!.open} open incidents, ${counts!.resolved} resolved; database ${counts!.size}`);
    console.log(`runs by status: ${statuses.map((row) => `${row.status} ${row.count}`).join(", ")}`);
    console.log(`jobs: ${s.failing} failing, ${s.missed} missed, ${s.running} running, ${s.queued} queued, ${s.paused} paused`);
    console.log(`sign in as ${SCALE_USER.email} / ${SCALE_USER.password}; DATABASE_URL=${seed.url}`);
  } finally {
    await sql.end();
  }
}

// Run as a script (npm run bench:seed-scale); bench/pages imports it instead.
if (path.basename(process.argv[1] ?? "") === "seed-scale.ts") {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
