// bench/alert-sim: are Jobboard's alerts right? It simulates jobs on cron and period schedules in
// twenty timezones, across their clock changes, reporting through the real ingest and checked by
// the real tick on a simulated clock against a real PostgreSQL, and prints false and missed
// alerts per kind, and how long after it was due each alert came.
//
//   eval "$(scripts/start-test-postgres.sh)"    # or any local DATABASE_URL
//   npm run bench:alert-sim                     # SIM_JOBS=1000 SIM_DAYS=30 SIM_SEED=1
import { randomBytes } from "node:crypto";
import { migrate } from "@/server/db/migrate";
import { createSql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { ALERT_KINDS, simulate } from "./simulate";

const JOBS = Number(process.env.SIM_JOBS ?? 1000);
const DAYS = Number(process.env.SIM_DAYS ?? 30);
const SEED = Number(process.env.SIM_SEED ?? 1);
// Sydney springs forward on 4 October, London falls back on 25 October, New York on 1 November.
const START = new Date(process.env.SIM_START ?? "2026-10-03T00:00:00Z");

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("Set DATABASE_URL to a local PostgreSQL server (see scripts/start-test-postgres.sh)");
  const name = `jobboard_alert_sim_${randomBytes(4).toString("hex")}`;
  const admin = createSql(serverUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: 4 });
  try {
    await migrate(sql);
    const workspaceId = await withService(sql, async (tx) => {
      const [workspace] = await tx<{ id: string }[]>`insert into workspaces (name, slug) values ('Alert simulation', 'alert-sim') returning id`;
      return workspace!.id;
    });
    console.log(`alert-sim: ${JOBS} jobs, ${DAYS} days from ${START.toISOString()}, seed ${SEED}`);
    const result = await simulate({ sql, workspaceId, jobs: JOBS, days: DAYS, start: START, seed: SEED, log: (line) => console.log(`  ${line}`) });
    console.log(`\n${result.slots} slots, ${result.reports} reports, ${result.ticks} ticks, in ${(result.elapsedMs / 1000).toFixed(0)} s\n`);
    console.log("kind        expected  alerted  false  missed");
    for (const kind of ALERT_KINDS) {
      const row = result.byKind[kind];
      console.log(`${kind.padEnd(10)}  ${String(row.expected).padStart(8)}  ${String(row.alerted).padStart(7)}  ${String(row.falseAlerts).padStart(5)}  ${String(row.missedAlerts).padStart(6)}`);
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`\nfalse alerts ${result.falseAlerts}, missed alerts ${result.missedAlerts} (goal 0 and 0)`);
    console.log(`latency after due: p50 ${seconds(result.latencyMs.p50)}, p99 ${seconds(result.latencyMs.p99)}, max ${seconds(result.latencyMs.max)} (goal p99 ≤ 60 s)`);
    for (const example of result.examples) console.log(`  ${example}`);
    process.exitCode = result.falseAlerts === 0 && result.missedAlerts === 0 && result.latencyMs.p99 <= 60_000 ? 0 : 1;
  } finally {
    await sql.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
