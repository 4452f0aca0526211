// bench/ingest: the report API under load, against a production build on a real PostgreSQL,
// beside the same write path called directly (no HTTP, no Next) in the same run.
//
//   npm run build
//   eval "$(scripts/start-test-postgres.sh)"    # or any local DATABASE_URL
//   npm run bench:ingest                        # BENCH_SECONDS=30 BENCH_CONNECTIONS=64 by default
import { spawn, type ChildProcess } from "node:child_process";
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
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}/api/monitor/job-report`,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(finishReport(index++)) }) }],
  });
  return result;
}

async function direct(sql: Sql, workspaceId: string) {
  const latencies: number[] = [];
  let done = 0;
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  let index = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const parsed = parseReport(finishReport(index++));
      if (!("report" in parsed)) throw new Error("bench payload is invalid");
      const started = performance.now();
      try {
        await ingestReport(sql, { workspaceId, report: parsed.report });
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
  return { perSecond: done / SECONDS, p50: at(0.5), p99: at(0.99), errors };
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("Set DATABASE_URL to a local PostgreSQL (see bench/README.md).");
  const { version } = (await createSql(serverUrl, { max: 1 })`show server_version`.then((rows) => ({ version: rows[0]!.server_version as string })));
  const db = await prepareDatabase(serverUrl);
  const server = await startServer(db.url);
  try {
    console.log(`bench/ingest: ${SECONDS}s, ${CONNECTIONS} connections, finish reports over ${JOB_KEYS} job keys, PostgreSQL ${version}`);
    const http = await overHttp(db.token);
    const non2xx = http.non2xx;
    console.log("\nover HTTP (next start → /api/monitor/job-report → PostgreSQL)");
    console.log(`  requests/s  ${http.requests.average.toFixed(0)}`);
    console.log(`  latency     p50 ${http.latency.p50} ms   p99 ${http.latency.p99} ms`);
    console.log(`  errors      ${http.errors} connection errors, ${non2xx} non-2xx, ${http.timeouts} timeouts`);

    const write = await direct(db.sql, db.workspaceId);
    console.log("\ndirect (ingestReport over postgres.js, same transaction, no HTTP)");
    console.log(`  reports/s   ${write.perSecond.toFixed(0)}`);
    console.log(`  latency     p50 ${write.p50.toFixed(1)} ms   p99 ${write.p99.toFixed(1)} ms`);
    console.log(`  errors      ${write.errors}`);
    console.log(`\nHTTP / direct throughput: ${(http.requests.average / write.perSecond).toFixed(2)}`);

    const [counts] = await db.sql`select (select count(*) from jobs)::int as jobs, (select count(*) from runs)::int as runs`;
    console.log(`rows written: ${counts!.jobs} jobs, ${counts!.runs} runs`);
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
