import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedIngestKey, seedUser, seedWorkspace } from "../integration/support/fixtures";
import { startApp, type AppServer } from "./support/app-server";

// The read API's own route files (src/app/api/v1) on the built server: the integration suite
// drives the same handlers through a router of its own, this reaches them as a status page does.
let db: TestDatabase;
let app: AppServer;
let readKey: string;
let reportKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  const workspace = await seedWorkspace(db.sql, owner, "Read routes");
  readKey = (await seedIngestKey(db.sql, workspace.id, "read")).token;
  reportKey = (await seedIngestKey(db.sql, workspace.id, "report")).token;
  await withService(db.sql, async (tx) => {
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title) values (${workspace.id}, 'nightly/export', 'Nightly export') returning id`;
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
      values (${workspace.id}, ${job!.id}, 'failed', 'report', now() - interval '2 minutes', now() - interval '2 minutes', now(), 120000)
      returning id`;
    await tx`update jobs set last_run_id = ${run!.id} where id = ${job!.id}`;
    await tx`insert into incidents (workspace_id, job_id, kind, first_run_id, last_run_id) values (${workspace.id}, ${job!.id}, 'failed', ${run!.id}, ${run!.id})`;
  });
  app = await startApp({ databaseUrl: db.url });
});

afterAll(async () => {
  await app?.stop();
  await db?.close();
});

async function get(path: string, token: string | null = readKey, method = "GET") {
  const response = await fetch(`${app.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, allow: response.headers.get("allow"), body: (await response.json()) as Record<string, unknown> };
}

describe("the read API on the production server", () => {
  it("answers its three routes with the key's workspace: jobs, one job's runs, open incidents", async () => {
    const jobs = await get("/api/v1/jobs");
    expect(jobs.status).toBe(200);
    expect(jobs.body.jobs).toEqual([expect.objectContaining({ job_key: "nightly/export", health: "failing", last_run: expect.objectContaining({ status: "failed" }) })]);
    const runs = await get(`/api/v1/jobs/${encodeURIComponent("nightly/export")}/runs?status=failed`);
    expect(runs.status).toBe(200);
    expect(runs.body).toMatchObject({ job: { job_key: "nightly/export" }, runs: [expect.objectContaining({ status: "failed", duration_ms: 120000 })] });
    const incidents = await get("/api/v1/incidents");
    expect(incidents.body.incidents).toEqual([expect.objectContaining({ kind: "failed", job_key: "nightly/export" })]);
  });

  it("refuses what the handlers refuse, through the routes: no key, a report key, a bad field, a write", async () => {
    expect((await get("/api/v1/jobs", null)).status).toBe(401);
    expect((await get("/api/v1/jobs", reportKey)).status).toBe(403);
    expect(await get("/api/v1/jobs?limit=0")).toMatchObject({ status: 400, body: { field: "limit" } });
    expect(await get("/api/v1/jobs/no-such-job/runs")).toMatchObject({ status: 404, body: { field: "job_key" } });
    expect(await get("/api/v1/jobs", readKey, "POST")).toMatchObject({ status: 405, allow: "GET, HEAD", body: { error: "The read API only answers GET" } });
  });
});
