import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentToken } from "@/server/agents/admin";
import { createSessionToken } from "@/server/auth/session-token";
import { withService } from "@/server/db/transactions";
import { requestRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { asUser, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { waitFor } from "../integration/support/wait";
import { APP_AUTH_SECRET, startApp, type AppServer } from "./support/app-server";
import { isAlive, startAgent, type AgentProcess } from "./support/cli";
import { startSlackStandIn } from "./support/slack";

// A machine holding five scheduled jobs dies (kill -9): `next start` must page once, for the
// machine, and show on the incident's page what Slack received.
let db: TestDatabase;
let app: AppServer;
let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
let dir: string;
let workspace: { id: string; slug: string };
let owner: TestUser;
const agents: AgentProcess[] = [];
const JOBS = ["ingest", "train", "evaluate", "export", "cleanup"];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "jobboard-offline-"));
  db = await createTestDatabase();
  slack = await startSlackStandIn();
  owner = await seedUser(db.sql, "owner");
  workspace = await seedWorkspace(db.sql, owner, "Offline");
  await withService(db.sql, (tx) => tx`
    insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspace.id}, ${slack.webhookUrl})`);
  app = await startApp({ databaseUrl: db.url, env: { JOBBOARD_AGENT_LEASE_SECONDS: "5", JOBBOARD_AGENT_HEARTBEAT_MS: "1000" } });
});

afterAll(async () => {
  for (const agent of agents) await agent.stop("SIGKILL");
  for (const job of JOBS) {
    const pid = Number((await readFile(path.join(dir, `${job}.pid`), "utf8").catch(() => "")).trim());
    if (pid && isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await app?.stop();
  await slack?.down();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

const actor = () => ({ userId: owner.id, email: owner.email });

async function agent(name: string, config: Record<string, unknown>, token?: string) {
  const agentToken = token ?? (await asUser(db.sql, owner, (tx) => createAgentToken(tx, { workspaceId: workspace.id, name, actor: actor() }))).token;
  const configPath = path.join(dir, `${name}.json`);
  await writeFile(configPath, JSON.stringify(config));
  const started = startAgent(configPath, { HOME: dir, JOBBOARD_HUB_URL: app.url, JOBBOARD_AGENT_TOKEN: agentToken, JOBBOARD_SPOOL_DIR: path.join(dir, `spool-${name}`) });
  agents.push(started);
  await waitFor(`${name} to register`, async () => {
    const [row] = await db.sql`select 1 from agents where workspace_id = ${workspace.id} and name = ${name} and registered_at is not null and last_seen_at > now() - interval '3 seconds'`;
    return Boolean(row);
  });
  return { process: started, token: agentToken };
}

async function page(pathname: string): Promise<string> {
  const session = await createSessionToken(owner, APP_AUTH_SECRET);
  const response = await fetch(`${app.url}${pathname}`, { headers: { cookie: `jb_session=${session}` }, redirect: "manual" });
  expect(response.status).toBe(200);
  return response.text();
}

const escapeHtml = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

describe("an agent host that dies", () => {
  it("gives one agent-offline alert for its five scheduled jobs, shows it on the incident page, and one recovery when it is back", async () => {
    const config = {
      max_concurrency: 5,
      jobs: Object.fromEntries(JOBS.map((job) => [job, { command: ["sh", "-c", `echo $$ > "${path.join(dir, `${job}.pid`)}"; exec sleep 300`] }])),
    };
    const gpu = await agent("gpu-node", config);
    // A second machine of the fleet keeps polling: its polls end the dead one's leases, as in production.
    await agent("watcher", { jobs: { idle: { command: ["true"] } } });
    await withService(db.sql, (tx) => tx`
      update jobs set schedule_period_seconds = 3600, grace_seconds = 300 where workspace_id = ${workspace.id} and job_key = any(${JOBS}::text[])`);
    const runs = [];
    for (const job of JOBS) {
      const [row] = await db.sql<{ id: string }[]>`select id from jobs where workspace_id = ${workspace.id} and job_key = ${job}`;
      runs.push(await asUser(db.sql, owner, (tx) => requestRun(tx, { workspaceId: workspace.id, jobId: row!.id, params: {}, actor: actor() })));
    }
    const ids = runs.map((run) => run.id);
    await waitFor("the five runs to be running", async () => (await db.sql`select 1 from runs where id = any(${ids}::uuid[]) and status = 'running'`).length === 5);

    await gpu.process.stop("SIGKILL");
    await waitFor("the five runs to be lost", async () => (await db.sql`select 1 from runs where id = any(${ids}::uuid[]) and status = 'lost'`).length === 5, 40_000);
    await waitFor("their five alerts to be folded", async () => (await db.sql`
      select 1 from alerts where run_id = any(${ids}::uuid[]) and kind = 'failure' and status = 'folded'`).length === 5);
    await waitFor("the agent-offline alert to be sent", async () => (await db.sql`
      select 1 from alerts where workspace_id = ${workspace.id} and kind = 'agent_offline' and status = 'sent'`).length === 1);

    expect(slack.messages.map((message) => message.text)).toEqual([expect.stringMatching(/^:electric_plug: Agent gpu-node .* is offline: not heard from since /)]);
    const [incident] = await db.sql<{ id: string }[]>`select id from agent_incidents where workspace_id = ${workspace.id}`;
    const html = await page(`/incidents/agent/${incident!.id}`);
    expect(html).toContain(escapeHtml(slack.messages[0]!.text));
    expect(html).toContain("Slack (workspace webhook)");
    for (const job of JOBS) expect(html).toContain(`>${job}</a>`);
    // Counted in the rendered links only (the page's data for React repeats the text).
    expect(html.match(/>Folded into “agent offline” \(gpu-node\)<\/a>/g)).toHaveLength(5);
    expect(await page("/incidents")).toContain(`/incidents/agent/${incident!.id}`);

    await agent("gpu-node", config, gpu.token);
    await waitFor("the recovery in Slack", () => slack.messages.length === 2);
    expect(slack.messages[1]!.text).toMatch(/^:white_check_mark: Agent gpu-node .* is back after .* offline: 5 alerts held back meanwhile$/);
    for (const job of JOBS) expect(JSON.stringify(slack.messages[1]!.blocks)).toContain(`• ${job}: run lost`);
    expect(slack.messages.filter((message) => /is offline/.test(message.text))).toHaveLength(1);
  });
});
