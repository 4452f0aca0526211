// bench/pages: server render time of the dashboard's pages on 1,000 jobs and 1,000,000 runs
// (bench/seed-scale), against a production build on a real PostgreSQL, with EXPLAIN (ANALYZE,
// BUFFERS) of every list query those pages run, captured from the app's own query functions.
//
//   eval "$(scripts/start-test-postgres.sh)"    # or any local DATABASE_URL
//   npm run bench:pages                         # seeds and builds first when needed; -- --explain for full plans
//
// BENCH_ITERATIONS=50 requests per page, BENCH_WARMUP=5, BENCH_PORT=3300; --reseed, --rebuild,
// --explain-only (the plans alone: no build, no server).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { claimsForUser } from "@/server/auth/claims";
import { SESSION_COOKIE, createSessionToken } from "@/server/auth/session-token";
import { createSql } from "@/server/db/sql";
import { withUser, type Tx } from "@/server/db/transactions";
import { listOpenIncidents } from "@/server/incidents/queries";
import { getJob, listJobOptions, listJobs, listWorkspaceTags } from "@/server/jobs/queries";
import { listRunningRuns, listRuns } from "@/server/runs/queries";
import { getJobStats, getOverviewStats, getRunsByDay } from "@/server/stats/queries";
import { countOpenIncidents, listMyWorkspaces } from "@/server/workspaces/queries";
import { SCALE_DATABASE, SCALE_JOBS, SCALE_RUNS, databaseUrl, findScaleSeed, seedScale, type ScaleSeed } from "../seed-scale";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const DIST_DIR = ".next-bench";
const TARGET_P95_MS = 150;
const FULL_PLANS = process.argv.includes("--explain") || process.argv.includes("--explain-only");

async function ensureSeed(serverUrl: string): Promise<ScaleSeed> {
  const url = databaseUrl(serverUrl, SCALE_DATABASE);
  const existing = process.argv.includes("--reseed") ? undefined : await findScaleSeed(url);
  if (existing) return existing;
  console.log(`seeding ${SCALE_DATABASE} (bench/seed-scale) …`);
  return seedScale(serverUrl, { log: (line) => console.log(line) });
}

/**
 * `next build` into .next-bench (next.config.ts reads NEXT_DIST_DIR), once. Next adds the dist
 * dir's types to tsconfig.json and points next-env.d.ts at them; both are put back as they were.
 */
async function ensureBuild(): Promise<void> {
  if (existsSync(path.join(DIST_DIR, "BUILD_ID")) && !process.argv.includes("--rebuild")) return;
  console.log(`building into ${DIST_DIR} (next build) …`);
  const kept = ["tsconfig.json", "next-env.d.ts"].map((file) => ({ file, text: existsSync(file) ? readFileSync(file, "utf8") : null }));
  const output: Buffer[] = [];
  const build = spawn(path.resolve("node_modules/.bin/next"), ["build"], {
    env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  build.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  build.stderr.on("data", (chunk: Buffer) => output.push(chunk));
  const code = await new Promise<number | null>((resolve) => build.on("close", resolve));
  for (const { file, text } of kept) {
    // Only undo what this build did: a file another build or dev server rewrote since is left alone.
    const now = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (now === text || !now?.includes(DIST_DIR)) continue;
    if (text === null) rmSync(file);
    else writeFileSync(file, text);
  }
  if (code !== 0) {
    process.stderr.write(Buffer.concat(output));
    throw new Error(`next build failed (exit ${code})`);
  }
}

async function startServer(databaseUrl: string, authSecret: string): Promise<ChildProcess> {
  const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXT_DIST_DIR: DIST_DIR,
      AUTH_SECRET: authSecret,
      NEXT_TELEMETRY_DISABLED: "1",
      // No in-process schedule tick: it would run the seeded jobs, open incidents and take CPU mid-measurement.
      JOBBOARD_IN_PROCESS_SCHEDULER: "0",
    },
    stdio: "ignore",
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${PORT}/login`).then((r) => r.ok, () => false);
    if (ready) return server;
    if (server.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill();
  throw new Error(`next start did not come up on port ${PORT} within 60 s`);
}

type Page = { name: string; path: string };
type Timing = { name: string; path: string; p50: number; p95: number; max: number; kib: number };

async function timePage(page: Page, cookie: string): Promise<Timing> {
  const once = async () => {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${PORT}${page.path}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}, not 200 (signed out? an error page?)`);
    return { ms, bytes: Buffer.byteLength(body) };
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const sample = await once();
    samples.push(sample.ms);
    bytes = sample.bytes;
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? 0;
  return { name: page.name, path: page.path, p50: at(0.5), p95: at(0.95), max: samples.at(-1) ?? 0, kib: bytes / 1024 };
}

// ---- EXPLAIN: the statements the app's query functions send, captured and explained as sent.

type Captured = { text: string; parameters: unknown[] };
type Explained = { page: string; label: string; ms: number; indexes: string[]; seqScans: string[]; buffers: string; plan: string[] };

/** The statement `fn` sends (its last one), run again under EXPLAIN with the same parameters and role. */
async function explainQuery(
  sql: postgres.Sql,
  captured: Captured[],
  seed: ScaleSeed,
  fn: (tx: Tx) => Promise<unknown>,
): Promise<Omit<Explained, "page" | "label">> {
  const claims = claimsForUser({ id: seed.userId, email: seed.email });
  return withUser(sql, claims, async (tx) => {
    captured.length = 0;
    await fn(tx);
    const statement = captured.at(-1);
    if (!statement) throw new Error("the query function sent no statement");
    const rows = await tx.unsafe<{ "QUERY PLAN": string }[]>(
      `explain (analyze, buffers) ${statement.text}`,
      statement.parameters as postgres.ParameterOrJSON<never>[],
    );
    const plan = rows.map((row) => row["QUERY PLAN"]);
    const indexes = [...new Set(plan.flatMap((line) => [...line.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1]!)))];
    const seqScans = [...new Set(plan.flatMap((line) => [...line.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]!)))];
    const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.join("\n"))?.[1] ?? NaN);
    const buffers = /Buffers: (.*)/.exec(plan[1] ?? "")?.[1] ?? /Buffers: (.*)/.exec(plan.join("\n"))?.[1] ?? "";
    return { ms, indexes, seqScans, buffers, plan };
  });
}

async function explainAll(seed: ScaleSeed, busyJobId: string, timezone: string): Promise<Explained[]> {
  const captured: Captured[] = [];
  // The app's pool options (createSql), plus a hook that sees each statement as sent.
  const sql = postgres(seed.url, {
    max: 1,
    prepare: false,
    onnotice: () => {},
    types: { bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) } },
    debug: (_connection, text, parameters) => captured.push({ text, parameters }),
  });
  const ws = seed.workspaceId;
  const now = new Date();
  const queries: Array<[page: string, label: string, fn: (tx: Tx) => Promise<unknown>]> = [
    ["layout", "listMyWorkspaces", (tx) => listMyWorkspaces(tx)],
    ["layout", "countOpenIncidents", (tx) => countOpenIncidents(tx, ws)],
    ["incidents", "listOpenIncidents (200)", (tx) => listOpenIncidents(tx, { workspaceId: ws, limit: 200, acknowledged: "all" })],
    ["incidents", "listJobs (200, no sparkline)", (tx) => listJobs(tx, { workspaceId: ws, limit: 200, sparkline: false })],
    ["overview", "getOverviewStats", (tx) => getOverviewStats(tx, { workspaceId: ws, now })],
    ["overview", "listRunningRuns", (tx) => listRunningRuns(tx, ws)],
    ["overview", "listOpenIncidents (11)", (tx) => listOpenIncidents(tx, { workspaceId: ws, limit: 11 })],
    ["jobs", "listJobs (51, by title)", (tx) => listJobs(tx, { workspaceId: ws, sort: "title", limit: 51 })],
    ["jobs", "listJobs (51, newest)", (tx) => listJobs(tx, { workspaceId: ws, sort: "newest", limit: 51 })],
    ["jobs", "listWorkspaceTags", (tx) => listWorkspaceTags(tx, ws)],
    ["job detail", "getJob", (tx) => getJob(tx, { workspaceId: ws, jobId: busyJobId })],
    ["job detail", "getJobStats (14 d)", (tx) => getJobStats(tx, { workspaceId: ws, jobId: busyJobId, since: new Date(now.getTime() - 14 * 86_400_000) })],
    ["job detail", "getRunsByDay (14 d)", (tx) => getRunsByDay(tx, { workspaceId: ws, jobId: busyJobId, timezone, days: 14, now })],
    ["job detail", "listRuns (job, 50)", (tx) => listRuns(tx, { workspaceId: ws, jobId: busyJobId, limit: 50 })],
    ["runs", "listRuns (51)", (tx) => listRuns(tx, { workspaceId: ws, limit: 51 })],
    ["runs", "listRuns (status=failed, 51)", (tx) => listRuns(tx, { workspaceId: ws, status: "failed", limit: 51 })],
    ["runs", "listJobOptions (job filter)", (tx) => listJobOptions(tx, ws)],
  ];
  const results: Explained[] = [];
  try {
    for (const [page, label, fn] of queries) {
      results.push({ page, label, ...(await explainQuery(sql, captured, seed, fn)) });
    }
  } finally {
    await sql.end();
  }
  return results;
}

function printExplained(results: Explained[]) {
  console.log("\nEXPLAIN (ANALYZE, BUFFERS) of each list query, as the page sends it (owner's RLS, warm cache)");
  for (const r of results) {
    const uses = r.indexes.length ? r.indexes.join(", ") : "no index";
    const seq = r.seqScans.length ? `   SEQ SCAN on ${r.seqScans.join(", ")}` : "";
    console.log(`  ${`${r.page} · ${r.label}`.padEnd(46)} ${r.ms.toFixed(1).padStart(7)} ms   ${uses}${seq}`);
    if (FULL_PLANS) {
      console.log(r.plan.map((line) => `      ${line}`).join("\n"));
      console.log("");
    }
  }
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("Set DATABASE_URL to a local PostgreSQL (see bench/README.md).");
  const seed = await ensureSeed(serverUrl);
  const explainOnly = process.argv.includes("--explain-only");
  if (!explainOnly) await ensureBuild();

  const sql = createSql(seed.url, { max: 1 });
  const [info] = await sql<{ version: string; busy_job: string; busy_runs: number; timezone: string }[]>`
    select current_setting('server_version') as version, w.timezone, b.job_id as busy_job, b.runs as busy_runs
    from workspaces w,
         lateral (select job_id, count(*)::int as runs from runs where workspace_id = w.id
                  group by job_id order by 2 desc, 1 limit 1) b
    where w.id = ${seed.workspaceId}`;
  await sql.end();
  const { version, busy_job: busyJob, busy_runs: busyRuns, timezone } = info!;

  const authSecret = randomBytes(32).toString("hex");
  const cookie = `${SESSION_COOKIE}=${await createSessionToken({ id: seed.userId, email: seed.email }, authSecret)}`;
  const pages: Page[] = [
    { name: "incidents", path: "/incidents" },
    { name: "overview", path: "/" },
    { name: "jobs", path: "/jobs" },
    { name: "job detail", path: `/jobs/${busyJob}` },
    { name: "runs", path: "/runs" },
  ];

  if (explainOnly) {
    printExplained(await explainAll(seed, busyJob, timezone));
    return;
  }
  const server = await startServer(seed.url, authSecret);
  const timings: Timing[] = [];
  try {
    console.log(
      `bench/pages: ${ITERATIONS} sequential requests per page after ${WARMUP} warm-up, next start → PostgreSQL ${version}, ` +
        `${SCALE_JOBS.toLocaleString("en")} jobs, ${SCALE_RUNS.toLocaleString("en")} runs (busy job: ${busyRuns.toLocaleString("en")} runs)`,
    );
    for (const page of pages) timings.push(await timePage(page, cookie));
  } finally {
    server.kill("SIGTERM");
  }

  console.log("\nserver render time, full response body (ms)");
  console.log(`  ${"page".padEnd(12)} ${"path".padEnd(20)} ${"p50".padStart(7)} ${"p95".padStart(7)} ${"max".padStart(7)} ${"KiB".padStart(6)}`);
  for (const t of timings) {
    const flag = t.p95 < TARGET_P95_MS ? "" : `   over ${TARGET_P95_MS} ms`;
    const shown = t.path.length > 20 ? `${t.path.slice(0, 17)}…` : t.path;
    console.log(
      `  ${t.name.padEnd(12)} ${shown.padEnd(20)} ${t.p50.toFixed(1).padStart(7)} ${t.p95.toFixed(1).padStart(7)} ${t.max.toFixed(1).padStart(7)} ${t.kib.toFixed(0).padStart(6)}${flag}`,
    );
  }

  printExplained(await explainAll(seed, busyJob, timezone));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
