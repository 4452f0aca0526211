import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlAgent, createAgentToken } from "@/server/agents/admin";
import { handleAgentRequest } from "@/server/agents/http";
import { expireAgentLeases } from "@/server/agents/service";
import { withService } from "@/server/db/transactions";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { requestRun } from "@/server/runs/service";
import { markMissedJobs, runScheduleTick } from "@/server/schedule/tick";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { serveHandlers, type TestServer } from "../support/http-server";
import { startSlackFor, type SlackStandIn } from "../support/slack";

let db: TestDatabase;
let server: TestServer;
let owner: TestUser, stranger: TestUser;
const stands: SlackStandIn[] = [];
let counter = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  stranger = await seedUser(db.sql, "stranger");
  const route = (action: string) => (request: Request) => handleAgentRequest(request, action, async () => db.sql);
  server = await serveHandlers(Object.fromEntries(["register", "claim", "heartbeat", "finish"].map((action) => [`/api/agent/${action}`, route(action)])));
});

afterAll(async () => {
  await server?.close();
  for (const slack of stands) await slack.close();
  await db?.close();
});

const actor = () => ({ userId: owner.id, email: owner.email });

/** A workspace of its own with a Slack stand-in, so what one test's agents do stays in it. */
async function space() {
  const workspaceId = (await seedWorkspace(db.sql, owner, `Offline ${counter++}`)).id;
  await seedWorkspace(db.sql, stranger, `Stranger ${counter++}`);
  const slack = await startSlackFor(db.sql, workspaceId);
  stands.push(slack);
  const agent = async (name: string, jobs: string[]) => {
    const created = await asUser(db.sql, owner, (tx) => createAgentToken(tx, { workspaceId, name, actor: actor() }));
    expect((await call("register", created.token, { host: `${name}-host`, jobs: jobs.map((job_key) => ({ job_key })) })).status).toBe(200);
    return created;
  };
  return { workspaceId, slack, agent };
}

async function call(action: string, token: string, body: unknown) {
  const response = await fetch(`${server.url}/api/agent/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The agent goes quiet: its last contact and its runs' leases are pushed into the past. */
async function silence(agentId: string, seconds: number) {
  await withService(db.sql, async (tx) => {
    await tx`update agents set last_seen_at = now() - make_interval(secs => ${seconds}) where id = ${agentId}`;
    await tx`update runs set lease_expires_at = now() - make_interval(secs => ${seconds}) + interval '30 seconds'
             where agent_id = ${agentId} and status = 'running'`;
  });
}

/** Gives these jobs an hourly schedule they have been missing for over two hours. */
async function scheduleLongAgo(workspaceId: string, jobKeys: string[]) {
  await withService(db.sql, (tx) => tx`
    update jobs set schedule_period_seconds = 3600, grace_seconds = 60, created_at = now() - interval '150 minutes'
    where workspace_id = ${workspaceId} and job_key = any(${jobKeys}::text[])`);
}

async function alertsOf(workspaceId: string) {
  return db.sql<{ job_key: string | null; kind: string; status: string; folded: boolean }[]>`
    select j.job_key, a.kind, a.status, a.agent_incident_id is not null as folded
    from alerts a left join jobs j on j.id = a.job_id
    where a.workspace_id = ${workspaceId} order by a.created_at, a.id`;
}

const offlineMessages = (slack: SlackStandIn) => slack.messages.filter((message) => /is offline/.test(message.text));

describe("an agent gone offline", () => {
  it("opens one incident with one alert, folds the misses and lost runs of the jobs only it runs, and one recovery lists them", async () => {
    const s = await space();
    const gpu = await s.agent("gpu", ["train", "export", "sweep"]);
    // A job any agent labelled "shared" may run is not the quiet agent's alone: its miss is sent.
    await withService(db.sql, (tx) => tx`
      insert into jobs (workspace_id, job_key, title, kind, agent_label) values (${s.workspaceId}, 'shared', 'shared', 'agent', 'shared')`);
    await scheduleLongAgo(s.workspaceId, ["export", "sweep", "shared"]);
    const [train] = await db.sql<{ id: string }[]>`select id from jobs where workspace_id = ${s.workspaceId} and job_key = 'train'`;
    const run = await asUser(db.sql, owner, (tx) => requestRun(tx, { workspaceId: s.workspaceId, jobId: train!.id, params: {}, actor: actor() }));
    expect(((await call("claim", gpu.token, { wait_ms: 0 })).body.runs as unknown[]).length).toBe(1);

    await silence(gpu.id, 600);
    // The misses are written before anything has noticed the agent: they fold all the same.
    const now = new Date();
    await markMissedJobs(db.sql, now);
    await deliverPendingAlerts(db.sql);
    await runScheduleTick(db.sql, now, async () => {});
    await deliverPendingAlerts(db.sql);
    await runScheduleTick(db.sql, new Date(), async () => {});
    await deliverPendingAlerts(db.sql);

    expect(offlineMessages(s.slack)).toHaveLength(1);
    expect(offlineMessages(s.slack)[0]!.text).toMatch(/^:electric_plug: Agent gpu \(gpu-host\) is offline: not heard from since /);
    expect(s.slack.messages.map((message) => message.text).sort()).toEqual([expect.stringMatching(/shared missed its run/), offlineMessages(s.slack)[0]!.text]);
    const [incident] = await db.sql<{ id: string; resolved_at: Date | null }[]>`select id, resolved_at from agent_incidents where agent_id = ${gpu.id}`;
    expect(incident!.resolved_at).toBeNull();
    expect(await alertsOf(s.workspaceId)).toEqual(expect.arrayContaining([
      { job_key: "export", kind: "missed", status: "folded", folded: true },
      { job_key: "sweep", kind: "missed", status: "folded", folded: true },
      { job_key: "shared", kind: "missed", status: "sent", folded: false },
      { job_key: "train", kind: "failure", status: "folded", folded: true },
      { job_key: null, kind: "agent_offline", status: "sent", folded: true },
    ]));
    expect((await db.sql`select status from runs where id = ${run.id}`)[0]).toEqual({ status: "lost" });

    // Back: the heartbeat speaks for the lost run, which comes back; its recovery is no news either.
    await call("heartbeat", gpu.token, { runs: [{ run_id: run.id }] });
    await deliverPendingAlerts(db.sql);
    // The heartbeat also woke this process's notifier: what it took is settled by it.
    await waitFor("no alert left pending", async () => (await db.sql`
      select 1 from alerts where workspace_id = ${s.workspaceId} and status = 'pending'`).length === 0);
    expect((await db.sql`select resolved_at from agent_incidents where id = ${incident!.id}`)[0]!.resolved_at).not.toBeNull();
    const recoveries = s.slack.messages.slice(2);
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]!.text).toMatch(/^:white_check_mark: Agent gpu \(gpu-host\) is back after .+ offline: 3 alerts held back meanwhile$/);
    const listed = JSON.stringify(recoveries[0]);
    for (const line of ["export: missed its run", "sweep: missed its run", "train: run lost"]) expect(listed).toContain(line);
    expect(await alertsOf(s.workspaceId)).toEqual(expect.arrayContaining([{ job_key: "train", kind: "recovery", status: "folded", folded: true }]));
  });

  it("folds a lost run delivered before any tick, from an agent not heard from since", async () => {
    const s = await space();
    const box = await s.agent("box", ["nightly"]);
    const [job] = await db.sql<{ id: string }[]>`select id from jobs where workspace_id = ${s.workspaceId} and job_key = 'nightly'`;
    await asUser(db.sql, owner, (tx) => requestRun(tx, { workspaceId: s.workspaceId, jobId: job!.id, params: {}, actor: actor() }));
    await call("claim", box.token, { wait_ms: 0 });
    // Heard from 20 s ago, under the 30 s lease; the run's lease has run out all the same.
    await silence(box.id, 20);
    await withService(db.sql, (tx) => tx`update runs set lease_expires_at = now() - interval '1 second' where agent_id = ${box.id}`);
    // The tick has not run: an expiry seen by any other path (another agent's poll) ends the run.
    await withService(db.sql, (tx) => expireAgentLeases(tx, s.workspaceId));
    await deliverPendingAlerts(db.sql);
    expect(s.slack.messages.map((message) => message.text)).toEqual([expect.stringMatching(/^:electric_plug: Agent box .* is offline/)]);
    expect(await alertsOf(s.workspaceId)).toEqual([
      { job_key: "nightly", kind: "failure", status: "folded", folded: true },
      { job_key: null, kind: "agent_offline", status: "sent", folded: true },
    ]);
  });

  it("never tells Slack an agent is back before it told it the agent was offline", async () => {
    const s = await space();
    const box = await s.agent("flaky-net", []);
    await silence(box.id, 600);
    await runScheduleTick(db.sql, new Date(), async () => {});
    // Slack refused the offline alert: it waits for its retry.
    await withService(db.sql, (tx) => tx`
      update alerts set last_error = 'Slack answered HTTP 503', attempts = 1, next_attempt_at = now() + interval '1 hour'
      where workspace_id = ${s.workspaceId} and kind = 'agent_offline'`);
    await call("heartbeat", box.token, { runs: [] });
    await deliverPendingAlerts(db.sql);
    // The heartbeat woke this process's notifier too: wait until the recovery is not in its hands.
    await waitFor("the recovery to be sent or left waiting", async () => (await db.sql`
      select 1 from alerts where workspace_id = ${s.workspaceId} and kind = 'agent_recovery'
        and (status = 'sent' or (status = 'pending' and attempts = 0))`).length === 1);
    expect(s.slack.messages).toEqual([]);
    await withService(db.sql, (tx) => tx`update alerts set next_attempt_at = now() where workspace_id = ${s.workspaceId}`);
    await deliverPendingAlerts(db.sql);
    expect(s.slack.messages.map((message) => message.text)).toEqual([
      expect.stringMatching(/^:electric_plug: Agent flaky-net/),
      expect.stringMatching(/^:white_check_mark: Agent flaky-net .* is back after .* offline: no job missed a run meanwhile$/),
    ]);
  });

  it("leaves drained and detached agents out, and shows agent incidents only to members", async () => {
    const s = await space();
    const drained = await s.agent("drained", ["a"]);
    const detached = await s.agent("detached", ["b"]);
    await asUser(db.sql, owner, (tx) => controlAgent(tx, { workspaceId: s.workspaceId, agentId: drained.id, control: "drain", actor: actor() }));
    await asUser(db.sql, owner, (tx) => controlAgent(tx, { workspaceId: s.workspaceId, agentId: detached.id, control: "detach", actor: actor() }));
    const quiet = await s.agent("quiet", []);
    for (const agent of [drained, detached, quiet]) await silence(agent.id, 600);
    const tick = await runScheduleTick(db.sql, new Date(), async () => {});
    expect(tick.agentsOffline).toBe(1);
    const opened = await db.sql<{ agent_id: string }[]>`select agent_id from agent_incidents where workspace_id = ${s.workspaceId}`;
    expect(opened.map((row) => row.agent_id)).toEqual([quiet.id]);
    expect((await asUser(db.sql, owner, (tx) => tx`select id from agent_incidents where workspace_id = ${s.workspaceId}`)).length).toBe(1);
    expect((await asUser(db.sql, stranger, (tx) => tx`select id from agent_incidents where workspace_id = ${s.workspaceId}`)).length).toBe(0);
    expect((await asUser(db.sql, stranger, (tx) => tx`select id from alerts where workspace_id = ${s.workspaceId}`)).length).toBe(0);
  });
});
