// bench/alert-sim: are Jobboard's alerts right? Each scenario runs jobs on cron and period
// schedules through the real ingest, the real tick and the real deliverer to a Slack stand-in,
// on a simulated clock against a real PostgreSQL, and prints false and missed alerts per kind,
// how long after due each alert reached Slack, and what was held or delayed on purpose.
//
//   eval "$(scripts/start-test-postgres.sh)"    # or any local DATABASE_URL
//   npm run bench:alert-sim                     # SIM_JOBS=1000 SIM_DAYS=30 SIM_SEED=1 SIM_SCENARIOS=month,jobboard-outage,…
import { randomBytes } from "node:crypto";
import { migrate } from "@/server/db/migrate";
import { createSql } from "@/server/db/sql";
import { EVERY_KIND } from "./model";
import { meetsGoals } from "./judge";
import { SCENARIOS } from "./scenarios";
import { simulate, type SimResult } from "./simulate";

// The Slack stand-in listens on loopback, which the egress guard refuses unless allowed.
process.env.JOBBOARD_EGRESS_ALLOW ??= "127.0.0.1";
// The deliverer warns of every send Slack refuses; the outage scenario counts them instead.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith("Slack alert ")) return;
  warn(...args);
};

const size = { jobs: Number(process.env.SIM_JOBS ?? 1000), days: Number(process.env.SIM_DAYS ?? 30), seed: Number(process.env.SIM_SEED ?? 1) };
const chosen = process.env.SIM_SCENARIOS?.split(",").map((name) => name.trim());

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function print(result: SimResult) {
  console.log(`\n${result.scenario}: ${result.about}`);
  console.log(`${result.jobs} jobs, ${result.slots} slots, ${result.reports} reports, ${result.ticks} ticks, in ${(result.elapsedMs / 1000).toFixed(0)} s\n`);
  console.log("kind        expected  alerted  false  missed");
  for (const kind of EVERY_KIND) {
    const row = result.byKind[kind];
    // An agent's own alerts show only where a scenario has an agent.
    if (!result.byKind.agent_down.expected && !result.byKind.agent_down.alerted && kind.startsWith("agent_")) continue;
    console.log(`${kind.padEnd(10)}  ${String(row.expected).padStart(8)}  ${String(row.alerted).padStart(7)}  ${String(row.falseAlerts).padStart(5)}  ${String(row.missedAlerts).padStart(6)}`);
  }
  console.log(`\nfalse alerts ${result.falseAlerts}, missed alerts ${result.missedAlerts} (goal 0 and 0)`);
  console.log(`latency after due: p50 ${seconds(result.latencyMs.p50)}, p99 ${seconds(result.latencyMs.p99)}, max ${seconds(result.latencyMs.max)} (goal p99 ≤ 60 s, max ≤ 120 s)`);
  if (result.held.told + result.held.dropped > 0) {
    console.log(`held by maintenance, apart: ${result.held.told} told when the window ended (at most ${seconds(result.held.maxAfterWindowMs)} after), ${result.held.dropped} dropped as resolved inside it`);
  }
  if (result.refused > 0 || result.delayed.told > 0) {
    console.log(`delayed by Slack's outage, apart: ${result.delayed.told} told after it (at most ${seconds(result.delayed.maxAfterSlackBackMs)} after Slack was back); ${result.refused} sends refused meanwhile`);
  }
  if (result.deferred.told > 0) {
    console.log(`deferred by Jobboard's own outage, apart: ${result.deferred.told} told after it (at most ${seconds(result.deferred.maxAfterBackMs)} after the later of due and Jobboard's return: the spools' replay, or a slot's catch-up)`);
  }
  if (result.folded.expected + result.folded.folded > 0) {
    console.log(`folded into the agent's incident, apart: ${result.folded.folded} folded, ${result.folded.expected} called for, ${result.folded.unexpected} folded unexpectedly`);
  }
  if (result.undelivered > 0) console.log(`left pending or given up at the end: ${result.undelivered}`);
  for (const example of result.examples) console.log(`  ${example}`);
  console.log("five latest after due:");
  for (const late of result.latest) {
    console.log(`  ${late.workspace}/${late.jobKey}  ${late.kind.padEnd(9)}  due ${late.dueAt.toISOString()}  told ${late.at.toISOString()}  (+${seconds(late.at.getTime() - late.dueAt.getTime())})`);
  }
  console.log(meetsGoals(result) && result.undelivered === 0 ? "goals met" : "GOALS NOT MET");
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("Set DATABASE_URL to a local PostgreSQL server (see scripts/start-test-postgres.sh)");
  const admin = createSql(serverUrl, { max: 1 });
  console.log(`alert-sim: ${size.jobs} jobs, ${size.days} days for the month, seed ${size.seed}`);
  let clean = true;
  try {
    for (const scenario of SCENARIOS.filter((candidate) => !chosen || chosen.includes(candidate.name))) {
      // Each scenario in a database of its own: the tick and the deliverer work on all of one.
      const name = `jobboard_alert_sim_${randomBytes(4).toString("hex")}`;
      await admin.unsafe(`create database ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const sql = createSql(url.toString(), { max: 4 });
      try {
        await migrate(sql);
        const result = await simulate({ sql, scenario: scenario.plan(size), log: (line) => console.log(`  ${line}`) });
        print(result);
        clean &&= meetsGoals(result) && result.undelivered === 0;
      } finally {
        await sql.end();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      }
    }
  } finally {
    await admin.end();
  }
  process.exitCode = clean ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
