import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { createSql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { isLoopbackEgressAllowed } from "@/server/egress";
import { handleHealth } from "@/server/health/check";
import { runScheduleTick } from "@/server/schedule/tick";
import type { TestDatabase } from "../support/database";
import { serveHandlers, type TestServer } from "../support/http-server";
import { slackWorkspace } from "../support/slack";
import { startTargetServer } from "../support/target-server";

// /api/health over real HTTP, on a database of its own, and the tick's ping of an outside monitor.
const MINUTE = 60_000;

let world: Awaited<ReturnType<typeof slackWorkspace>>;
let db: TestDatabase;
let workspaceId: string;
let server: TestServer;
let downServer: TestServer;
const unreachable = createSql("postgres://postgres:some-password@127.0.0.1:1/nowhere", { max: 1 });

beforeAll(async () => {
  world = await slackWorkspace("Health");
  ({ db, workspaceId } = world);
  server = await serveHandlers({ "/api/health": () => handleHealth(async () => db.sql) });
  downServer = await serveHandlers({ "/api/health": () => handleHealth(async () => unreachable) });
});

afterAll(async () => {
  await server?.close();
  await downServer?.close();
  await unreachable.end({ timeout: 1 });
  await world?.close();
});

type HealthBody = {
  status: string;
  problems: string[];
  database: { reachable: boolean; migrated: boolean | null };
  scheduler: { state: string | null; lastTickAgeSeconds: number | null; runner: string | null };
  alerts: { pending: number | null; oldestPendingAgeSeconds: number | null };
};

async function health(url = server.url): Promise<{ status: number; body: HealthBody; text: string }> {
  const response = await fetch(`${url}/api/health`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as HealthBody, text };
}

const tick = () => runScheduleTick(db.sql, new Date(), async () => {});

describe("GET /api/health", () => {
  it("answers 503 when the ticks have stopped for over 3 minutes, and 200 once they resume", async () => {
    // The last tick, four minutes ago: the scheduler stopped.
    await withService(db.sql, (tx) => tx`
      insert into tick_heartbeats (ticked_at, runner, duration_ms) values (${new Date(Date.now() - 4 * MINUTE)}, 'inngest', 40)`);
    const late = await health();
    expect(late.status).toBe(503);
    expect(late.body.problems).toEqual(["scheduler_late"]);
    expect(late.body.scheduler).toMatchObject({ state: "late", runner: "inngest" });
    expect(late.body.scheduler.lastTickAgeSeconds).toBeGreaterThanOrEqual(240);
    expect(late.body.database).toMatchObject({ reachable: true, migrated: true });

    await tick();
    const resumed = await health();
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: "ok", problems: [], scheduler: { state: "ok", runner: "in-process" } });
    expect(resumed.body.scheduler.lastTickAgeSeconds).toBeLessThan(60);
  });

  it("answers 503 while an alert has waited over 10 minutes, and 200 once it is sent", async () => {
    await tick();
    const [alert] = await withService(db.sql, async (tx) => {
      const [job] = await tx<{ id: string }[]>`
        insert into jobs (workspace_id, job_key, title) values (${workspaceId}, 'health-waiting', 'Waiting') returning id`;
      return tx<{ id: string }[]>`
        insert into alerts (workspace_id, job_id, kind, detail, created_at, attempts, next_attempt_at)
        values (${workspaceId}, ${job!.id}, 'success', '{}', ${new Date(Date.now() - 11 * MINUTE)}, 2, ${new Date(Date.now() + 10 * MINUTE)})
        returning id`;
    });
    const stuck = await health();
    expect(stuck.status).toBe(503);
    expect(stuck.body.problems).toEqual(["alerts_waiting"]);
    expect(stuck.body.alerts.pending).toBe(1);
    expect(stuck.body.alerts.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(660);

    await withService(db.sql, (tx) => tx`update alerts set status = 'sent', sent_at = now() where id = ${alert!.id}`);
    expect((await health()).status).toBe(200);
  });

  it("answers 503 when the database cannot be reached, naming neither its host nor its password", async () => {
    const down = await health(downServer.url);
    expect(down.status).toBe(503);
    expect(down.body.problems).toEqual(["database_unreachable"]);
    expect(down.body.database).toMatchObject({ reachable: false });
    expect(down.text).not.toContain("some-password");
    expect(down.text).not.toContain("nowhere");
  });
});

describe("JOBBOARD_HEARTBEAT_URL", () => {
  const saved = { url: process.env.JOBBOARD_HEARTBEAT_URL, allow: process.env.JOBBOARD_EGRESS_ALLOW };
  const restoreAllow = () => {
    if (saved.allow === undefined) delete process.env.JOBBOARD_EGRESS_ALLOW;
    else process.env.JOBBOARD_EGRESS_ALLOW = saved.allow;
  };
  afterAll(() => {
    restoreAllow();
    if (saved.url === undefined) delete process.env.JOBBOARD_HEARTBEAT_URL;
    else process.env.JOBBOARD_HEARTBEAT_URL = saved.url;
    resetEnvCache();
  });

  it("is pinged by every tick, through the egress guard, and never fails the tick", async () => {
    const monitor = await startTargetServer({ "/ping/5bf66975": (_req, res) => void res.writeHead(200).end("OK") });
    try {
      process.env.JOBBOARD_HEARTBEAT_URL = `${monitor.url}/ping/5bf66975`;
      resetEnvCache();
      await tick();
      await tick();
      expect(monitor.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /ping/5bf66975", "GET /ping/5bf66975"]);

      // Loopback is refused once it is no longer allowed: the tick goes on, and nothing is sent.
      // (The embedded database's development default lets loopback through whatever the list
      // says, so there the ping still arrives; on PostgreSQL the refusal is what is tested.)
      process.env.JOBBOARD_EGRESS_ALLOW = "";
      resetEnvCache();
      const refusesLoopback = !isLoopbackEgressAllowed();
      const before = await db.sql<{ count: number }[]>`select count(*)::int as count from tick_heartbeats`;
      await tick();
      expect(monitor.requests).toHaveLength(refusesLoopback ? 2 : 3);
      const after = await db.sql<{ count: number }[]>`select count(*)::int as count from tick_heartbeats`;
      expect(after[0]!.count).toBe(before[0]!.count + 1);
    } finally {
      await monitor.close();
    }

    // A monitor that is down does not fail the tick either.
    restoreAllow();
    resetEnvCache();
    await expect(tick()).resolves.toMatchObject({ missed: [] });
  });
});
