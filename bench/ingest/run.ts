// bench/ingest: the report API under load, against a production build on a real PostgreSQL,
// side by side in one run with its two ceilings: PostgreSQL doing a report's three writes alone
// (pgbench, or the same loop over postgres.js without it), and a Next route that answers without
// the database. Then the same write path called directly (no HTTP, no Next).
//
//   npm run build
//   eval "$(scripts/start-test-postgres.sh)"    # or any local DATABASE_URL
//   npm run bench:ingest                        # BENCH_SECONDS=30 BENCH_CONNECTIONS=64 by default
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import autocannon from "autocannon";
import { migrate } from "@/server/db/migrate";
import { createSql, type Sql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { generateIngestKey } from "@/server/ingest/keys";
import { parseReport } from "@/server/ingest/schemas";
import { ingestReport } from "@/server/ingest/service";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const JOB_KEYS = 1000;
const PORT = Number(process.env.BENCH_PORT ?? 3200);

function finishReport(index: number): Record<string, unknown> {
  const failed = index % 10 === 0;
  return {
    job_key: `bench-job-${index % JOB_KEYS}`,
    title: `Bench job ${index % JOB_KEYS}`,
    status: failed ? "error" : "success",
    finished_at: new Date().toISOString(),
    run_id: randomUUID(),
    duration_ms: 1000 + (index % 500),
    exit_code: failed ? 1 : 0,
    message: failed ? "exited with code 1" : "ok",
    ...(failed ? { stderr: "Traceback (most recent call last):\n  ValueError: bench\n" } : {}),
  };
}

async function prepareDatabase(serverUrl: string): Promise<{ url: string; sql: Sql; workspaceId: string; token: string }> {
  const name = `jobboard_bench_${randomBytes(4).toString("hex")}`;
  const admin = createSql(serverUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: CONNECTIONS });
  await migrate(sql);
  const key = generateIngestKey();
  const workspaceId = await withService(sql, async (tx) => {
    const [workspace] = await tx<{ id: string }[]>`insert into workspaces (name, slug) values ('Bench', 'bench') returning id`;
    await tx`insert into ingest_keys (workspace_id, name, prefix, secret_hash) values (${workspace!.id}, 'bench', ${key.prefix}, ${key.hash})`;
    return workspace!.id;
  });
  return { url: url.toString(), sql, workspaceId, token: key.token };
}

const RAW_SCRIPT = `
\\set n random(0, ${JOB_KEYS - 1})
BEGIN;
INSERT INTO jobs (workspace_id, job_key, title) VALUES (:workspace, 'raw-job-' || :n, 'Raw job ' || :n)
  ON CONFLICT (workspace_id, job_key) DO UPDATE SET title = excluded.title RETURNING id AS job_id \\gset
INSERT INTO runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at, finished_at, duration_ms, exit_code, message)
  VALUES (:workspace, ':job_id', 'succeeded', 'report', gen_random_uuid()::text, now(), now(), now(), 1000, 0, 'ok') RETURNING id AS run_id \\gset
UPDATE jobs SET last_run_id = ':run_id' WHERE id = ':job_id';
END;
`;

type Load = { perSecond: number; p50: number; p99: number; errors: number; tool: string };

function pgbenchBinary(): string | null {
  try {
    const bin = execFileSync("sh", ["-c", "ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1"]).toString().trim();
    if (bin && existsSync(`${bin}/pgbench`)) return `${bin}/pgbench`;
  } catch {
    // fall through to PATH
  }
  try {
    return execFileSync("sh", ["-c", "command -v pgbench"]).toString().trim() || null;
  } catch {
    return null;
  }
}

/** What PostgreSQL alone does with a finish report's three writes (upsert job, insert run, point the job at it). */
async function rawPostgres(url: string, sql: Sql): Promise<Load> {
  const [workspace] = await sql<{ id: string }[]>`insert into workspaces (name, slug) values ('Raw', 'raw') returning id`;
  const pgbench = pgbenchBinary();
  if (pgbench) {
    const dir = mkdtempSync(path.join(tmpdir(), "jobboard-pgbench-"));
    writeFileSync(path.join(dir, "report.sql"), RAW_SCRIPT);
    const output = execFileSync(
      pgbench,
      ["-n", "-M", "simple", "-c", String(CONNECTIONS), "-j", "2", "-T", String(SECONDS), "-r", "-D", `workspace='${workspace!.id}'`, "-f", path.join(dir, "report.sql"), url],
      { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? 0);
    const latency = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1] ?? 0);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    return { perSecond: tps, p50: latency, p99: Number.NaN, errors: failed, tool: "pgbench, 3 statements in a transaction" };
  }
  return loop(async (index) => {
    await sql.begin(async (tx) => {
      const key = `raw-job-${index % JOB_KEYS}`;
      const [job] = await tx<{ id: string }[]>`
        insert into jobs (workspace_id, job_key, title) values (${workspace!.id}, ${key}, ${key})
        on conflict (workspace_id, job_key) do update set title = excluded.title returning id`;
      const [run] = await tx<{ id: string }[]>`
        insert into runs (workspace_id, job_id, status, trigger, external_id, queued_at, started_at, finished_at, duration_ms, exit_code, message)
        values (${workspace!.id}, ${job!.id}, 'succeeded', 'report', gen_random_uuid()::text, now(), now(), now(), 1000, 0, 'ok') returning id`;
      await tx`update jobs set last_run_id = ${run!.id} where id = ${job!.id}`;
    });
  }, "postgres.js, 3 statements in a transaction");
}

/** `CONNECTIONS` workers calling `once` for `SECONDS`. */
async function loop(once: (index: number) => Promise<void>, tool: string): Promise<Load> {
  const latencies: number[] = [];
  let done = 0;
  let errors = 0;
  let index = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      try {
        await once(index++);
        done++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: done / SECONDS, p50: at(0.5), p99: at(0.99), errors, tool };
}

async function startServer(databaseUrl: string): Promise<ChildProcess> {
  const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
    // No in-process schedule tick: the benchmark measures reports alone.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: "20",
      AUTH_SECRET: randomBytes(32).toString("hex"),
      JOBBOARD_IN_PROCESS_SCHEDULER: "0",
      // The bench floods one key on purpose: it measures the route, not the rate limit's refusals.
      JOBBOARD_RATE_REPORTS_PER_MINUTE: "1000000",
    },
    stdio: "ignore",
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${PORT}/login`).then((r) => r.ok, () => false);
    if (ready) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill();
  throw new Error("next start did not come up within 60 s (did you run `npm run build`?)");
}

async function overHttp(token: string) {
  let index = 0;
  return autocannon({
    url: `http://127.0.0.1:${PORT}/api/monitor/job-report`,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(finishReport(index++)) }) }],
  });
}

/** The framework's ceiling: the same route answering 405 to a GET, with no database work. */
async function frameworkCeiling() {
  return autocannon({ url: `http://127.0.0.1:${PORT}/api/monitor/job-report`, connections: CONNECTIONS, duration: SECONDS, method: "GET" });
}

/** An App Router route handler answering 405 the same way: what a report would cost on one. */
async function appRouterCeiling() {
  return autocannon({ url: `http://127.0.0.1:${PORT}/api/v1/incidents`, connections: CONNECTIONS, duration: SECONDS, method: "POST" });
}

async function direct(sql: Sql, workspaceId: string): Promise<Load> {
  return loop(async (index) => {
    const parsed = parseReport(finishReport(index));
    if (!("report" in parsed)) throw new Error("bench payload is invalid");
    await ingestReport(sql, { workspaceId, report: parsed.report });
  }, "ingestReport over postgres.js");
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "—");

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("Set DATABASE_URL to a local PostgreSQL (see bench/README.md).");
  const { version } = (await createSql(serverUrl, { max: 1 })`show server_version`.then((rows) => ({ version: rows[0]!.server_version as string })));
  const db = await prepareDatabase(serverUrl);
  const server = await startServer(db.url);
  try {
    console.log(`bench/ingest: ${SECONDS}s each, ${CONNECTIONS} connections, finish reports over ${JOB_KEYS} job keys, PostgreSQL ${version}\n`);
    const raw = await rawPostgres(db.url, db.sql);
    const ceiling = await frameworkCeiling();
    const appRouter = await appRouterCeiling();
    const http = await overHttp(db.token);
    const write = await direct(db.sql, db.workspaceId);

    const rows = [
      ["raw PostgreSQL", raw.tool, raw.perSecond, raw.p50, raw.p99, `${raw.errors} failed`],
      ["framework ceiling", "GET → 405, no database", ceiling.requests.average, ceiling.latency.p50, ceiling.latency.p99,
        `${ceiling.errors + ceiling.timeouts} errors`],
      ["App Router route", "POST /api/v1/incidents → 405", appRouter.requests.average, appRouter.latency.p50, appRouter.latency.p99,
        `${appRouter.errors + appRouter.timeouts} errors`],
      ["report API", "POST /api/monitor/job-report", http.requests.average, http.latency.p50, http.latency.p99,
        `${http.errors} errors, ${http.non2xx} non-2xx, ${http.timeouts} timeouts`],
      ["direct", write.tool, write.perSecond, write.p50, write.p99, `${write.errors} errors`],
    ] as const;
    console.log(`  ${"".padEnd(18)} ${"what".padEnd(40)} ${"per s".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}  errors`);
    for (const [name, what, perSecond, p50, p99, errors] of rows) {
      console.log(`  ${name.padEnd(18)} ${what.padEnd(40)} ${fixed(perSecond).padStart(7)} ${fixed(p50, 1).padStart(8)} ${fixed(p99, 1).padStart(8)}  ${errors}`);
    }
    console.log("");
    console.log(`  report API / raw PostgreSQL       ${(http.requests.average / raw.perSecond).toFixed(2)}   (goal ≥ 0.40)`);
    console.log(`  report API p99 / ceiling p99      ${(http.latency.p99 / ceiling.latency.p99).toFixed(2)}   (goal ≤ 2.00)`);
    console.log(`  direct / raw PostgreSQL           ${(write.perSecond / raw.perSecond).toFixed(2)}   (goal ≥ 1.00)`);

    const [counts] = await db.sql`
      select (select count(*) from jobs where workspace_id = ${db.workspaceId})::int as jobs,
             (select count(*) from runs where workspace_id = ${db.workspaceId})::int as runs`;
    console.log(`\nrows the report API and the direct path wrote: ${counts!.jobs} jobs, ${counts!.runs} runs`);
  } finally {
    server.kill("SIGTERM");
    await db.sql.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
