import { execFile, execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { createSql, type Sql } from "@/server/db/sql";
import { seedIngestKey, seedUser, seedWorkspace } from "../integration/support/fixtures";
import { freePort, startApp, type AppServer } from "./support/app-server";

// The built app under report load while its PostgreSQL restarts: clients that retry, as the CLI
// does, must lose nothing and count nothing twice, and the server must come through it.
const REPORTS = 2000;
const CLIENTS = 16;
const TRY_TIMEOUT_MS = 10_000;

const run = promisify(execFile);

let pg: { url: string; stop: string; pgCtl: string; dataDir: string };
let sql: Sql;
let app: AppServer;
let workspaceId: string;
let token: string;

beforeAll(async () => {
  // A PostgreSQL of this file's own: restarting the suite's shared one would disturb the others.
  const exports = execFileSync("bash", ["scripts/start-test-postgres.sh"], {
    encoding: "utf8",
    env: { ...process.env, PG_TEST_PORT: String(await freePort()) },
  });
  const values = Object.fromEntries([...exports.matchAll(/^export (\w+)='?(.*?)'?$/gm)].map((match) => [match[1]!, match[2]!]));
  const stop = values.PG_TEST_STOP!;
  const [, pgCtl, dataDir] = /^(.*pg_ctl) -D (\S+) -m fast stop$/.exec(stop.trim())!;
  pg = { url: values.DATABASE_URL!, stop, pgCtl: pgCtl!.trim(), dataDir: dataDir! };

  sql = createSql(pg.url, { max: 2 });
  await migrate(sql);
  const owner = await seedUser(sql, "owner");
  workspaceId = (await seedWorkspace(sql, owner, "Restart")).id;
  token = (await seedIngestKey(sql, workspaceId)).token;
  // Thousands of reports on one key in a minute: the per-key limit is not what is under test.
  app = await startApp({ databaseUrl: pg.url, env: { JOBBOARD_RATE_REPORTS_PER_MINUTE: "1000000" } });
});

afterAll(async () => {
  await app?.stop();
  await sql?.end({ timeout: 2 });
  if (pg) {
    execFileSync("bash", ["-c", pg.stop], { stdio: "ignore" });
    await rm(pg.dataDir, { recursive: true, force: true });
  }
});

/** pg_ctl restart as an operator does it: a fast shutdown (sessions terminated), then start on the same data and port. */
async function restartPostgres(): Promise<void> {
  const [command, ...args] = pg.pgCtl.split(/\s+/);
  await run(command!, [...args, "-D", pg.dataDir, "-l", `${pg.dataDir}/server.log`, "-m", "fast", "-w", "restart"]);
}

type Try = { status: number | null; ms: number; retryAfter: string | null; error?: string };

/** One report, tried until it is taken: on 503 or a network failure again after a short backoff, as the CLI does. */
async function report(index: number, client: number, tries: Try[]): Promise<void> {
  const body = JSON.stringify({
    job_key: `restart-${client}`,
    title: `Restart load ${client}`,
    event: "finish",
    status: index % 10 === 0 ? "error" : "success",
    run_id: `run-${index}`,
    finished_at: new Date().toISOString(),
  });
  let pause = 100;
  for (;;) {
    const started = Date.now();
    let attempt: Try;
    try {
      const response = await fetch(`${app.url}/api/monitor/job-report`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body,
        signal: AbortSignal.timeout(TRY_TIMEOUT_MS),
      });
      await response.text();
      attempt = { status: response.status, ms: Date.now() - started, retryAfter: response.headers.get("retry-after") };
    } catch (error) {
      attempt = { status: null, ms: Date.now() - started, retryAfter: null, error: String((error as Error).cause ?? error) };
    }
    tries.push(attempt);
    if (attempt.status === 200) return;
    // The CLI would also wait out Retry-After (5 s); a shorter pause keeps the test short.
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 1000);
  }
}

describe("a PostgreSQL restart under report load", () => {
  it("loses no report, counts none twice, answers only 200 or 503, and leaves the server up", async () => {
    const tries: Try[] = [];
    let next = 0;
    let taken = 0;
    const restart = { doneBefore: -1, doneAfter: -1 };
    let restarted: Promise<void> | undefined;
    const startedAt = async () => (await sql<{ started: Date }[]>`select pg_postmaster_start_time() as started`)[0]!.started;
    const startedBefore = await startedAt();

    const client = async (id: number) => {
      for (let index = next++; index < REPORTS; index = next++) {
        await report(index, id, tries);
        taken++;
        // Restart once a quarter of the load is through, while the rest keeps coming.
        if (taken === REPORTS / 4 && !restarted) {
          restart.doneBefore = taken;
          restarted = restartPostgres().then(() => {
            restart.doneAfter = taken;
          });
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
    await restarted;

    // The restart happened, and the load was still running when the database came back.
    expect((await startedAt()).getTime()).toBeGreaterThan(startedBefore.getTime());
    expect(restart.doneAfter).toBeLessThan(REPORTS);

    const unexpected = tries.filter((attempt) => attempt.status !== 200 && attempt.status !== 503);
    expect(unexpected, JSON.stringify(unexpected.slice(0, 5))).toEqual([]);
    expect(tries.filter((attempt) => attempt.ms > TRY_TIMEOUT_MS)).toEqual([]);
    expect(tries.filter((attempt) => attempt.status === 503 && attempt.retryAfter === null)).toEqual([]);

    // Exactly one run per report, found by the run_id it was sent with.
    const runs = await sql<{ external_id: string; count: number }[]>`
      select external_id, count(*)::int as count from runs where workspace_id = ${workspaceId} group by external_id`;
    const counted = new Map(runs.map((row) => [row.external_id, row.count]));
    const lost = Array.from({ length: REPORTS }, (_, index) => `run-${index}`).filter((runId) => !counted.has(runId));
    expect(lost).toEqual([]);
    expect(runs.filter((row) => row.count !== 1)).toEqual([]);
    expect(runs).toHaveLength(REPORTS);

    // The server came through: still answering, and nothing escaped its handlers.
    const after: Try[] = [];
    await report(REPORTS, 0, after);
    expect(after).toMatchObject([{ status: 200 }]);
    expect(app.output()).not.toMatch(/uncaughtException|unhandledRejection|Cannot read properties of null/);
  });
});
