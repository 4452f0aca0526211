import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentToken } from "@/server/agents/admin";
import { requestRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { asUser, seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { waitFor } from "../integration/support/wait";
import { startApp, type AppServer } from "./support/app-server";
import { runCli, startAgent, type AgentProcess } from "./support/cli";

// Whatever bytes a command prints, its run ends as the command did, with its log kept: the built
// CLI and agent against `next start` and real PostgreSQL.
let db: TestDatabase;
let app: AppServer;
let dir: string;
let workspace: { id: string; slug: string };
let owner: TestUser;
let ingestToken: string;
let agent: AgentProcess | undefined;

// A short lease: heartbeats the hub refused would end the run as lost before it finished.
const appEnv = { JOBBOARD_AGENT_LEASE_SECONDS: "5", JOBBOARD_AGENT_HEARTBEAT_MS: "500" };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "jobboard-output-"));
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  workspace = await seedWorkspace(db.sql, owner, "Output");
  ingestToken = (await seedIngestKey(db.sql, workspace.id)).token;
  app = await startApp({ databaseUrl: db.url, env: appEnv });
});

afterAll(async () => {
  await agent?.stop("SIGKILL");
  await app?.stop();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

async function runsOf(jobKey: string) {
  return db.sql<{ id: string; status: string; log: string | null }[]>`
    select r.id, r.status, r.log from runs r join jobs j on j.id = r.job_id
    where j.workspace_id = ${workspace.id} and j.job_key = ${jobKey}`;
}

describe("a command that prints NUL bytes", () => {
  it("succeeds under the agent: its heartbeats and its finish are taken, and its log kept", async () => {
    const release = path.join(dir, "release");
    const configPath = path.join(dir, "agent.json");
    await writeFile(configPath, JSON.stringify({
      jobs: {
        "nul-printer": {
          // Prints NUL, then waits so that heartbeats carry it before the finish does.
          command: ["sh", "-c", 'printf "before\\000after\\n"; while [ ! -f "$RELEASE" ]; do sleep 0.1; done; printf "done\\000\\n"'],
          env: { RELEASE: release },
        },
      },
    }));
    const { token } = await asUser(db.sql, owner, (tx) => createAgentToken(tx, { workspaceId: workspace.id, name: "printer", actor: { userId: owner.id, email: owner.email } }));
    agent = startAgent(configPath, { HOME: dir, JOBBOARD_HUB_URL: app.url, JOBBOARD_AGENT_TOKEN: token, JOBBOARD_SPOOL_DIR: path.join(dir, "agent-spool") });
    await waitFor("the agent to register", async () => (await db.sql`select 1 from jobs where workspace_id = ${workspace.id} and job_key = 'nul-printer'`).length === 1);
    const [job] = await db.sql<{ id: string }[]>`select id from jobs where workspace_id = ${workspace.id} and job_key = 'nul-printer'`;
    const run = await asUser(db.sql, owner, (tx) => requestRun(tx, { workspaceId: workspace.id, jobId: job!.id, params: {}, actor: { userId: owner.id, email: owner.email } }));

    // Only a heartbeat brings a running run's output to the hub.
    await waitFor("a heartbeat with the output", async () => {
      const [row] = await runsOf("nul-printer");
      return row?.status === "running" && row.log === "beforeafter\n";
    }, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\nthe agent printed:\n${agent!.output()}\nthe app printed:\n${app.output()}`);
    });
    await writeFile(release, "go");
    await waitFor("the run to end", async () => (await runsOf("nul-printer"))[0]?.status !== "running", 30_000);

    expect(await runsOf("nul-printer")).toEqual([{ id: run.id, status: "succeeded", log: "beforeafter\ndone\n" }]);
    expect(await db.sql`select kind from incidents where job_id = ${job!.id}`).toEqual([]);
    expect(app.output()).not.toMatch(/agent (heartbeat|finish) failed/);
  }, 90_000);

  it("succeeds under jobboard run, with its log kept", async () => {
    const cliEnv = { HOME: dir, JOBBOARD_HUB_URL: app.url, JOBBOARD_TOKEN: ingestToken, JOBBOARD_SPOOL_DIR: path.join(dir, "cli-spool") };
    const finished = await runCli(["run", "--job-key", "nul-run", "--", "sh", "-c", 'printf "a\\000b\\n"; printf "err\\000\\n" >&2'], cliEnv);
    expect(finished.code).toBe(0);
    // Nothing was left to replay: the hub took the report at once.
    expect(finished.stderr).not.toMatch(/spool/i);
    const [row] = await db.sql`
      select r.status, r.log, r.stderr_tail from runs r join jobs j on j.id = r.job_id
      where j.workspace_id = ${workspace.id} and j.job_key = 'nul-run'`;
    expect(row).toEqual({ status: "succeeded", log: "ab\n", stderr_tail: "err\n" });
  }, 60_000);
});
