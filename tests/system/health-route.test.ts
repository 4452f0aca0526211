import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { startApp, type AppServer } from "./support/app-server";

// /api/health on the built server, as an uptime monitor reaches it: no session, no proxy.
let db: TestDatabase;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // The suite's server runs no scheduler (JOBBOARD_IN_PROCESS_SCHEDULER=0, no Inngest).
  app = await startApp({ databaseUrl: db.url });
});

afterAll(async () => {
  await app?.stop();
  await db?.close();
});

async function health() {
  const response = await fetch(`${app.url}/api/health`, { redirect: "manual" });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    // Set by the proxy on every page it runs for: an uptime monitor's polling should not pay for it.
    proxied: response.headers.has("content-security-policy"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("GET /api/health on the production server", () => {
  it("answers 503 without a session while no scheduler has ever ticked, and 200 once one does", async () => {
    const never = await health();
    expect(never.status).toBe(503);
    expect(never.type).toContain("application/json");
    expect(never.proxied).toBe(false);
    expect(never.body).toMatchObject({ status: "failing", problems: ["scheduler_late"], database: { reachable: true, migrated: true }, scheduler: { state: "never" } });

    await withService(db.sql, (tx) => tx`insert into tick_heartbeats (ticked_at, runner, duration_ms) values (now(), 'inngest', 50)`);
    const ticking = await health();
    expect(ticking.status).toBe(200);
    expect(ticking.body).toMatchObject({ status: "ok", problems: [], scheduler: { state: "ok", runner: "inngest" }, alerts: { pending: 0 } });
  });
});
