import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { handleJobReport } from "@/server/ingest/http";
import { sharedSecretNotice, sharedSecretTarget } from "@/server/ingest/config";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { serveHandlers, type TestServer } from "../support/http-server";

// The shared webhook secret reports to a definite workspace: the configured one, else the first
// one ever made, even when several were made in one transaction (as the demo's seed makes them).
const SECRET = "shared-secret-for-tests";
let db: TestDatabase;
let server: TestServer;
let defaultWorkspace: string | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await serveHandlers({
    "/api/monitor/job-report": (request) =>
      handleJobReport(request, { webhookSecret: SECRET, defaultWorkspace, getSql: async () => db.sql, onAlertsQueued: () => {} }),
  });
  // One transaction, so both have the same created_at; the first made has the larger id, which
  // is what chose "the oldest" before: created_at, then id.
  await withService(db.sql, async (tx) => {
    await tx`insert into workspaces (id, name, slug) values ('ffffffff-0000-4000-8000-000000000000', 'First made', 'first-made')`;
    await tx`insert into workspaces (id, name, slug) values ('00000000-0000-4000-8000-000000000000', 'Made second', 'made-second')`;
  });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function report(jobKey: string) {
  const response = await fetch(`${server.url}/api/monitor/job-report`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-jobboard-secret": SECRET },
    body: JSON.stringify({ job_key: jobKey, title: jobKey, status: "success", finished_at: new Date().toISOString() }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function workspaceOfJob(jobKey: string) {
  const rows = await db.sql<{ slug: string }[]>`select w.slug from jobs j join workspaces w on w.id = j.workspace_id where j.job_key = ${jobKey}`;
  return rows.map((row) => row.slug);
}

describe("the shared secret's workspace", () => {
  it("is the first workspace ever made when none is configured, and the answer names it", async () => {
    defaultWorkspace = undefined;
    const answer = await report("first-report");
    expect(answer).toMatchObject({ status: 200, body: { success: true, workspace: "first-made", job_key: "first-report" } });
    expect(await workspaceOfJob("first-report")).toEqual(["first-made"]);

    // Start-up says so, from the same rule, because there is more than one to choose from.
    const target = await sharedSecretTarget(db.sql, { webhookSecret: SECRET });
    expect(target).toEqual({ name: "First made", slug: "first-made", isConfigured: false, workspaces: 2 });
    expect(sharedSecretNotice(target)).toContain('workspace "First made" (first-made)');
  });

  it("is the configured one when JOBBOARD_DEFAULT_WORKSPACE names it, and start-up then says nothing more", async () => {
    defaultWorkspace = "made-second";
    const answer = await report("configured-report");
    expect(answer).toMatchObject({ status: 200, body: { workspace: "made-second" } });
    expect(await workspaceOfJob("configured-report")).toEqual(["made-second"]);
    const target = await sharedSecretTarget(db.sql, { webhookSecret: SECRET, defaultWorkspace });
    expect(target).toMatchObject({ slug: "made-second", isConfigured: true });
    expect(sharedSecretNotice(target)).toBeNull();
  });

  it("has nowhere to go without a secret, and nothing to say", async () => {
    expect(await sharedSecretTarget(db.sql, {})).toBeNull();
  });
});
