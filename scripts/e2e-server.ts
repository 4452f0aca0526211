// Serves the production build for the end-to-end suite on a database of its own:
// with DATABASE_URL, a fresh database on that server (migrated and seeded here); without it,
// a fresh embedded data directory that the app migrates and seeds as it starts.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { migrate } from "@/server/db/migrate";
import { createSql } from "@/server/db/sql";
import { seedDemo } from "@/server/demo/seed";

async function prepareDatabase(serverUrl: string): Promise<string> {
  const name = `jobboard_e2e_${randomBytes(4).toString("hex")}`;
  const admin = createSql(serverUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: 2 });
  await migrate(sql);
  await seedDemo(sql);
  await sql.end();
  return url.toString();
}

export const E2E_DATABASE_URL_FILE = ".jobboard/e2e-database-url";

async function main() {
  const port = process.env.PORT ?? "3100";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64url"),
    APP_URL: `http://127.0.0.1:${port}`,
    // Known to the suite (tests/e2e/support.ts), so it can report as a script would.
    JOBBOARD_WEBHOOK_SECRET: "e2e-webhook-secret-0123456789",
    JOBBOARD_DEFAULT_WORKSPACE: "demo",
    // The suite asserts on the seeded incidents; a minute tick could add a missed one mid-run.
    JOBBOARD_IN_PROCESS_SCHEDULER: "0",
    // The suite signs in with the demo login, which a production server only seeds when asked.
    JOBBOARD_DEMO: "1",
    // The suite signs up new accounts; production's default (invite) is tested on its own.
    JOBBOARD_SIGNUP: "open",
    // The agents suite watches live log tails: beat every second.
    JOBBOARD_AGENT_HEARTBEAT_MS: "1000",
    // The suite's HTTP job targets listen on loopback, which production refuses unless allowed.
    JOBBOARD_EGRESS_ALLOW: "127.0.0.1",
  };
  if (process.env.DATABASE_URL) {
    env.DATABASE_URL = await prepareDatabase(process.env.DATABASE_URL);
    // The suite compares what pages show with SQL on the same database.
    await mkdir(path.dirname(E2E_DATABASE_URL_FILE), { recursive: true });
    await writeFile(E2E_DATABASE_URL_FILE, env.DATABASE_URL);
  } else {
    const dataDir = path.resolve(".jobboard", "e2e");
    await rm(dataDir, { recursive: true, force: true });
    await rm(E2E_DATABASE_URL_FILE, { force: true });
    env.JOBBOARD_DATA_DIR = dataDir;
  }
  const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", port, "-H", "127.0.0.1"], {
    env,
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
