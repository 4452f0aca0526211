import { spawn } from "node:child_process";
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "@/cli/version";
import { controlAgent, createAgentToken, reassignLostRun } from "@/server/agents/admin";
import { withService } from "@/server/db/transactions";
import { cancelRun, requestRun } from "@/server/runs/service";
import { markMissedJobs } from "@/server/schedule/tick";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { addMember, asUser, seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { waitFor } from "../integration/support/wait";
import { startApp, type AppServer } from "./support/app-server";
import { CLI_BUNDLE, isAlive, runCli, startAgent, type AgentProcess } from "./support/cli";
import { startSlackStandIn } from "./support/slack";

// The built CLI as the agent, against `next start` and real PostgreSQL: every part a user runs.
let db: TestDatabase;
let app: AppServer;
let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
let dir: string;
let workspace: { id: string; slug: string };
let owner: TestUser, operator: TestUser;
let ingestToken: string;
const agents: AgentProcess[] = [];
const orphanPids: number[] = [];

const appEnv = { JOBBOARD_AGENT_LEASE_SECONDS: "5", JOBBOARD_AGENT_HEARTBEAT_MS: "1000" };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "jobboard-agent-"));
  db = await createTestDatabase();
  slack = await startSlackStandIn();
  owner = await seedUser(db.sql, "owner");
  operator = await seedUser(db.sql, "operator");
  workspace = await seedWorkspace(db.sql, owner, "Agents");
  await addMember(db.sql, workspace.id, operator, "operator");
  ingestToken = (await seedIngestKey(db.sql, workspace.id)).token;
  await withService(db.sql, (tx) => tx`
    insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspace.id}, ${slack.webhookUrl})`);
  app = await startApp({ databaseUrl: db.url, env: appEnv });
});

afterAll(async () => {
  for (const agent of agents) await agent.stop("SIGKILL");
  for (const pid of orphanPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  await app?.stop();
  await slack?.down();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

const asOperator = { userId: "", email: "" };
const operatorActor = () => ({ ...asOperator, userId: operator.id, email: operator.email });

async function jobId(jobKey: string): Promise<string> {
  const [job] = await db.sql<{ id: string }[]>`select id from jobs where workspace_id = ${workspace.id} and job_key = ${jobKey}`;
  return job!.id;
}

async function queue(jobKey: string, params: Record<string, unknown> = {}, rerunOf?: string) {
  const id = await jobId(jobKey);
  return asUser(db.sql, operator, (tx) => requestRun(tx, { workspaceId: workspace.id, jobId: id, params, rerunOf, actor: operatorActor() }));
}

async function run(runId: string) {
  const [row] = await db.sql<{ status: string; message: string | null; log: string | null; agent_id: string | null; external_id: string | null; exit_code: number | null }[]>`
    select status, message, log, agent_id, external_id, exit_code from runs where id = ${runId}`;
  return row!;
}

const waitForStatus = (runId: string, status: string, timeoutMs = 30_000) =>
  waitFor(`run ${runId} to be ${status}`, async () => (await run(runId)).status === status, timeoutMs);

/** A token through the same script automation uses. */
function tokenFromScript(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "agent:token", "--", "--workspace", workspace.slug, "--name", name], {
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => (code === 0 ? resolve(stdout.trim()) : reject(new Error(`agent:token exited ${code}: ${stderr}`))));
  });
}

async function tokenFor(name: string) {
  return (await asUser(db.sql, owner, (tx) => createAgentToken(tx, { workspaceId: workspace.id, name, actor: { userId: owner.id, email: owner.email } }))).token;
}

async function agent(name: string, token: string, config: Record<string, unknown>): Promise<AgentProcess> {
  const configPath = path.join(dir, `${name}.json`);
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const started = startAgent(configPath, {
    HOME: dir,
    JOBBOARD_HUB_URL: app.url,
    JOBBOARD_AGENT_TOKEN: token,
    JOBBOARD_SPOOL_DIR: path.join(dir, `spool-${name}`),
  });
  agents.push(started);
  await waitFor(`${name} to register`, async () => {
    const [row] = await db.sql`select registered_at from agents where workspace_id = ${workspace.id} and name = ${name}`;
    return Boolean(row?.registered_at);
  });
  return started;
}

async function agentId(name: string): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`select id from agents where workspace_id = ${workspace.id} and name = ${name}`;
  return row!.id;
}

const REPORTER_DIR = path.resolve("public");
const pythonScript = `
import os, sys
sys.path.insert(0, os.environ["REPORTER_DIR"])
from jobboard_report import report_job_status
print("JOBBOARD_PARAMS=" + os.environ["JOBBOARD_PARAMS"])
print("JOBBOARD_PARAM_REGION=" + os.environ.get("JOBBOARD_PARAM_REGION", ""))
sys.stdout.flush()
report_job_status("success", "処理完了")
`;

describe("jobboard agent, built, against the built app", () => {
  let nodeA: AgentProcess;

  it("serves the self-contained CLI at /jobboard.mjs to anyone, byte for byte the build", async () => {
    const response = await fetch(`${app.url}/jobboard.mjs`, { redirect: "manual" });
    expect(response.status).toBe(200);
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(await readFile(CLI_BUNDLE))).toBe(true);
    // With its checksum, to anyone, and under a name that never serves other bytes.
    const sum = createHash("sha256").update(served).digest("hex");
    const checksum = await fetch(`${app.url}/jobboard.mjs.sha256`, { redirect: "manual" });
    expect(checksum.status).toBe(200);
    expect(await checksum.text()).toBe(`${sum}  jobboard.mjs\n`);
    const versioned = await fetch(`${app.url}/jobboard-${VERSION}-${sum.slice(0, 12)}.mjs`, { redirect: "manual" });
    expect(versioned.status).toBe(200);
    expect(Buffer.from(await versioned.arrayBuffer()).equals(served)).toBe(true);
  });

  it("reruns a seed-003-style Python script where it lives: edited parameters arrive, and its own report pairs with the run", async () => {
    // The script reported on its own before any agent existed (Windows Task Scheduler).
    const reported = await fetch(`${app.url}/api/monitor/job-report`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${ingestToken}` },
      body: JSON.stringify({ job_key: "nightly-report", title: "minpaku-IN レポート作成", status: "success", finished_at: new Date().toISOString() }),
    }).then((response) => response.json() as Promise<{ run_id: string }>);

    await writeFile(path.join(dir, "report.py"), pythonScript);
    nodeA = await agent("node-a", await tokenFromScript("node-a"), {
      jobs: {
        "nightly-report": {
          command: ["python3", "report.py"],
          cwd: dir,
          env: { REPORTER_DIR, JOBBOARD_TOKEN: ingestToken },
        },
        sleeper: { command: ["sh", "-c", 'sleep 300 & echo $! > "$PIDFILE"; wait'], env: { PIDFILE: path.join(dir, "sleeper.pid") } },
        "outage-job": {
          command: ["sh", "-c", 'while [ ! -f "$RELEASE" ]; do sleep 0.2; done; echo "finished during the outage"'],
          env: { RELEASE: path.join(dir, "outage.release") },
        },
      },
    });
    const [job] = await db.sql`select kind, agent_id from jobs where id = ${await jobId("nightly-report")}`;
    expect(job).toEqual({ kind: "agent", agent_id: await agentId("node-a") });

    const rerun = await queue("nightly-report", { date: "2026-12-01", region: "kanto" }, reported.run_id);
    await waitForStatus(rerun.id, "succeeded");
    await waitFor("the agent's captured output", async () => Boolean((await run(rerun.id)).log));
    const finished = await run(rerun.id);
    expect(finished).toMatchObject({ status: "succeeded", message: "処理完了", agent_id: await agentId("node-a"), external_id: rerun.id });
    expect(finished.log).toContain('JOBBOARD_PARAMS={"date":"2026-12-01","region":"kanto"}');
    expect(finished.log).toContain("JOBBOARD_PARAM_REGION=kanto");
    // One run for the rerun, however many reports it got: the script's and the agent's.
    const runs = await db.sql`select id from runs where job_id = ${await jobId("nightly-report")}`;
    expect(runs).toHaveLength(2);
  });

  it("cancels a run mid-flight: the whole process tree ends and the run is canceled", async () => {
    const sleeper = await queue("sleeper");
    await waitForStatus(sleeper.id, "running");
    const pidFile = path.join(dir, "sleeper.pid");
    await waitFor("the grandchild's pid", async () => (await readFile(pidFile, "utf8").catch(() => "")).trim() !== "");
    const grandchild = Number((await readFile(pidFile, "utf8")).trim());
    orphanPids.push(grandchild);
    expect(isAlive(grandchild)).toBe(true);
    await asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId: workspace.id, runId: sleeper.id, actor: operatorActor() }));
    await waitFor("the grandchild to be killed", () => !isAlive(grandchild), 20_000);
    expect((await run(sleeper.id)).status).toBe("canceled");
    expect(nodeA.child.exitCode).toBeNull();
  });

  it("fails a run whose job key the agent does not declare, saying why", async () => {
    await withService(db.sql, async (tx) => tx`
      insert into jobs (workspace_id, job_key, title, kind, agent_id) values (${workspace.id}, 'ghost', 'Ghost', 'agent', ${await agentId("node-a")})`);
    const ghost = await queue("ghost");
    await waitForStatus(ghost.id, "failed");
    expect((await run(ghost.id)).message).toBe("job key ghost is not declared in this agent's config");
  });

  it("with two agents, claims each run exactly once; a drained agent takes nothing; a revoked token stops its agent", async () => {
    await withService(db.sql, (tx) => tx`
      insert into jobs (workspace_id, job_key, title, kind, agent_label) values (${workspace.id}, 'fleet-task', 'Fleet task', 'agent', 'fleet')`);
    const claims = path.join(dir, "claims.log");
    const fleetConfig = {
      max_concurrency: 2,
      labels: ["fleet"],
      jobs: { "fleet-task": { command: ["sh", "-c", 'echo "$JOBBOARD_RUN_ID" >> "$CLAIMS"; sleep 0.2'], env: { CLAIMS: claims } } },
    };
    const nodeB = await agent("node-b", await tokenFor("node-b"), fleetConfig);
    const nodeC = await agent("node-c", await tokenFor("node-c"), fleetConfig);
    const queued = await Promise.all(Array.from({ length: 10 }, (_, i) => queue("fleet-task", { i })));
    for (const run of queued) await waitForStatus(run.id, "succeeded");
    const ran = (await readFile(claims, "utf8")).trim().split("\n");
    expect(ran.sort()).toEqual(queued.map((run) => run.id).sort());

    const [b, c] = [await agentId("node-b"), await agentId("node-c")];
    for (const id of [b, c]) {
      await asUser(db.sql, operator, (tx) => controlAgent(tx, { workspaceId: workspace.id, agentId: id, control: "drain", actor: operatorActor() }));
    }
    const waiting = await queue("fleet-task", { drained: true });
    // Several claim polls and heartbeats go by; nobody takes it.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect((await run(waiting.id)).status).toBe("queued");
    await asUser(db.sql, operator, (tx) => controlAgent(tx, { workspaceId: workspace.id, agentId: b, control: "resume", actor: operatorActor() }));
    await waitForStatus(waiting.id, "succeeded");
    expect((await run(waiting.id)).agent_id).toBe(b);

    await asUser(db.sql, operator, (tx) => controlAgent(tx, { workspaceId: workspace.id, agentId: c, control: "detach", actor: operatorActor() }));
    const ended = await nodeC.exited;
    expect(ended.code).toBe(3);
    expect(ended.stdout + ended.stderr).toContain("the hub refused this agent's token (unknown or revoked)");
    expect(nodeB.child.exitCode).toBeNull();
  });

  it("turns a run whose agent was killed -9 into lost after its lease, with an incident folded into the agent's, and Reassign runs it again", async () => {
    const token = await tokenFor("node-d");
    const config = {
      jobs: {
        fragile: {
          command: ["sh", "-c", 'if [ -f "$MARK" ]; then echo "second try"; exit 0; fi; touch "$MARK"; echo $$ > "$PIDFILE"; exec sleep 300'],
          env: { MARK: path.join(dir, "fragile.mark"), PIDFILE: path.join(dir, "fragile.pid") },
        },
      },
    };
    const nodeD = await agent("node-d", token, config);
    const fragile = await queue("fragile", { shard: 7 });
    await waitForStatus(fragile.id, "running");
    await waitFor("the command to start", async () => (await readFile(path.join(dir, "fragile.pid"), "utf8").catch(() => "")).trim() !== "");
    orphanPids.push(Number((await readFile(path.join(dir, "fragile.pid"), "utf8")).trim()));
    await nodeD.stop("SIGKILL");

    await waitForStatus(fragile.id, "lost", 40_000);
    const [incident] = await db.sql`select kind, resolved_at from incidents where last_run_id = ${fragile.id}`;
    expect(incident).toMatchObject({ kind: "lost", resolved_at: null });
    // The agent is the news, not each of its runs: the lost alert folds into its "agent offline".
    await waitFor("the lost alert folded", async () => (await db.sql`
      select 1 from alerts where run_id = ${fragile.id} and kind = 'failure' and status = 'folded'`).length === 1);
    await waitFor("the agent-offline alert in Slack", () => slack.messages.some((message) => /^:electric_plug: Agent node-d .* is offline/.test(message.text)));
    expect(slack.about("fragile")).toEqual([]);

    const again = await asUser(db.sql, operator, (tx) => reassignLostRun(tx, { workspaceId: workspace.id, runId: fragile.id, actor: operatorActor() }));
    await agent("node-d", token, config);
    await waitForStatus(again.id, "succeeded");
    const [resolved] = await db.sql`select resolved_at from incidents where last_run_id = ${fragile.id}`;
    expect(resolved!.resolved_at).not.toBeNull();
    await waitFor("the agent's recovery in Slack", () => slack.messages.some((message) => /^:white_check_mark: Agent node-d .* is back/.test(message.text)));
    expect(JSON.stringify(slack.messages.find((message) => /Agent node-d .* is back/.test(message.text))!.blocks)).toContain("• fragile: run lost");
  });

  it("replays a finish the hub failed for a moment while heartbeats went on, without waiting for an outage", async () => {
    const nodeE = await agent("node-e", await tokenFor("node-e"), { jobs: { "blip-job": { command: ["sh", "-c", "echo through the blip"] } } });
    const blipJob = await jobId("blip-job");
    // The database refuses this job's finishes for a moment (a failover, a lock timeout); claims
    // and heartbeats go on, so the agent never has to register again.
    await db.sql.unsafe(`
      create function test_refuse_finish() returns trigger language plpgsql as $$
      begin raise exception 'refusing finishes for a moment'; end $$;
      create trigger test_refuse_finish before update of status on runs for each row
        when (old.status = 'running' and new.status in ('succeeded', 'failed') and new.job_id = '${blipJob}')
        execute function test_refuse_finish();`);
    try {
      const blip = await queue("blip-job");
      const spool = path.join(dir, "spool-node-e");
      await waitFor("the agent to spool its finish", async () => (await readdir(spool).catch(() => [])).some((name) => name.endsWith(".json")), 20_000);
      expect((await run(blip.id)).status).toBe("running");
      await db.sql.unsafe("drop trigger test_refuse_finish on runs; drop function test_refuse_finish()");
      await waitForStatus(blip.id, "succeeded", 15_000).catch((error: Error) => {
        throw new Error(`${error.message}\nnode-e printed:\n${nodeE.output()}`);
      });
      expect((await run(blip.id)).log).toContain("through the blip");
      // The run is recorded before the agent hears back and says so.
      await waitFor("node-e to say it sent the spooled finish", () => /sent 1 spooled finish/.test(nodeE.output()), 10_000);
      expect(nodeE.output()).not.toMatch(/registered again/);
      expect((await readdir(spool)).filter((name) => name.endsWith(".json"))).toEqual([]);
    } finally {
      await db.sql.unsafe("drop trigger if exists test_refuse_finish on runs; drop function if exists test_refuse_finish()");
      await nodeE.stop("SIGTERM");
    }
  });

  it("spools reports while the hub is down, then replays them once each: no duplicates, and no false missed left open", async () => {
    const spoolDir = path.join(dir, "cli-spool");
    const cliEnv = { HOME: dir, JOBBOARD_HUB_URL: app.url, JOBBOARD_TOKEN: ingestToken, JOBBOARD_SPOOL_DIR: spoolDir };
    // A job that runs hourly and reports; its report of this hour will arrive late.
    await withService(db.sql, (tx) => tx`
      insert into jobs (workspace_id, job_key, title, schedule_period_seconds, grace_seconds, created_at)
      values (${workspace.id}, 'hourly-export', 'Hourly export', 3600, 60, now() - interval '150 minutes')`);

    // An agent's run is under way when the hub goes down, and ends while it is down.
    const underway = await queue("outage-job");
    await waitForStatus(underway.id, "running");
    await app.stop();
    const downSince = Date.now();
    await writeFile(path.join(dir, "outage.release"), "go");
    const agentSpool = path.join(dir, "spool-node-a");
    await waitFor("the agent to spool its finish", async () => (await readdir(agentSpool).catch(() => [])).some((name) => name.endsWith(".json")), 30_000);
    const failed = await runCli(["run", "--job-key", "spooled-run", "--", "sh", "-c", "echo partial; exit 3"], cliEnv);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/spool/i);
    const late = await runCli(["report", "--job-key", "hourly-export", "--status", "success", "--message", "exported"], cliEnv);
    expect(late.code).toBe(0);
    const waiting = await readdir(spoolDir);
    expect(waiting.filter((name) => name.endsWith(".json"))).toHaveLength(2);
    const status = await runCli(["spool", "status"], cliEnv);
    expect(status.stdout).toMatch(/2/);

    // Meanwhile the tick sees no run this hour and opens a missed incident.
    const missed = await markMissedJobs(db.sql, new Date());
    expect(missed.map((job) => job.jobId)).toContain(await jobId("hourly-export"));

    const copy = path.join(dir, "replayed-twice.json");
    await copyFile(path.join(spoolDir, waiting.filter((name) => name.endsWith(".json")).sort()[0]!), copy);
    // Down for longer than the 5 s lease, so the run's lease has run out when the hub is back.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 6000 - (Date.now() - downSince))));
    app = await startApp({ databaseUrl: db.url, port: app.port, env: appEnv });
    const flushed = await runCli(["spool", "flush"], cliEnv);
    expect(flushed.code).toBe(0);
    // The same entry replayed again (a crash after sending, before deleting) changes nothing.
    await copyFile(copy, path.join(spoolDir, path.basename(copy)));
    expect((await runCli(["spool", "flush"], cliEnv)).code).toBe(0);

    const spooledRuns = await db.sql`select status, exit_code from runs where job_id = ${await jobId("spooled-run")}`;
    expect(spooledRuns).toEqual([{ status: "failed", exit_code: 3 }]);
    const exportRuns = await db.sql`select status, message from runs where job_id = ${await jobId("hourly-export")}`;
    expect(exportRuns).toEqual([{ status: "succeeded", message: "exported" }]);
    const open = await db.sql`select kind from incidents where job_id = ${await jobId("hourly-export")} and resolved_at is null`;
    expect(open).toEqual([]);

    // The hub was down longer than the lease, yet the run is not lost: its agent, which never
    // crashed, replays the finish it spooled once its backoff (up to 30 s) brings it back.
    await waitForStatus(underway.id, "succeeded", 75_000).catch((error: Error) => {
      throw new Error(`${error.message}\nnode-a printed:\n${nodeA.output()}`);
    });
    expect((await run(underway.id)).log).toContain("finished during the outage");
    expect(await db.sql`select kind from incidents where job_id = ${await jobId("outage-job")} and resolved_at is null`).toEqual([]);
    expect(nodeA.child.exitCode).toBeNull();
  }, 240_000);
});
