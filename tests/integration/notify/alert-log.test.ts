import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { getIncident } from "@/server/incidents/queries";
import { handleJobReport } from "@/server/ingest/http";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { listAlertLog, slackRefusingSince } from "@/server/notify/alert-log";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { serveHandlers, type TestServer } from "../support/http-server";
import { startTargetServer } from "../support/target-server";

// The alert log read as members read it (RLS), against what a real Slack stand-in received.
let db: TestDatabase;
let server: TestServer;
let slack: Awaited<ReturnType<typeof startTargetServer>>;
let owner: TestUser, viewer: TestUser, stranger: TestUser;
let workspaceId: string, token: string;
const received: string[] = [];
let slackAnswers = 200;

beforeAll(async () => {
  db = await createTestDatabase();
  [owner, viewer, stranger] = await Promise.all(["owner", "viewer", "stranger"].map((label) => seedUser(db.sql, label))) as [TestUser, TestUser, TestUser];
  workspaceId = (await seedWorkspace(db.sql, owner, "Alert log")).id;
  await seedWorkspace(db.sql, stranger, "Elsewhere");
  await addMember(db.sql, workspaceId, viewer, "viewer");
  token = (await seedIngestKey(db.sql, workspaceId)).token;
  slack = await startTargetServer({
    "/slack": (_req, res, body) => {
      if (slackAnswers === 200) received.push((JSON.parse(body) as { text: string }).text);
      res.writeHead(slackAnswers).end(slackAnswers === 200 ? "ok" : "no_service");
    },
  });
  await withService(db.sql, (tx) => tx`insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspaceId}, ${`${slack.url}/slack`})`);
  server = await serveHandlers({ "/api/monitor/job-report": (request) => handleJobReport(request, { getSql: async () => db.sql, onAlertsQueued: () => {} }) });
});

afterAll(async () => {
  await server?.close();
  await slack?.close();
  await db?.close();
});

async function reportFailure(jobKey: string) {
  const response = await fetch(`${server.url}/api/monitor/job-report`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ job_key: jobKey, title: jobKey, status: "error", finished_at: new Date().toISOString(), message: "disk full" }),
  });
  expect(response.status).toBe(200);
  const [incident] = await db.sql<{ id: string }[]>`
    select i.id from incidents i join jobs j on j.id = i.job_id where j.workspace_id = ${workspaceId} and j.job_key = ${jobKey}`;
  return incident!.id;
}

describe("the alert log", () => {
  it("shows members what Slack received, through which webhook, and when", async () => {
    const incidentId = await reportFailure("backup");
    expect(await asUser(db.sql, viewer, (tx) => listAlertLog(tx, { workspaceId, scope: { incidentId }, limit: 10 }))).toEqual([
      expect.objectContaining({ kind: "failure", channel: null, state: { kind: "waiting" } }),
    ]);
    await deliverPendingAlerts(db.sql);
    expect(received).toHaveLength(1);
    const [entry] = await asUser(db.sql, viewer, (tx) => listAlertLog(tx, { workspaceId, scope: { incidentId }, limit: 10 }));
    expect(entry).toMatchObject({ kind: "failure", text: received[0], channel: "workspace_slack", state: { kind: "sent", at: expect.any(Date) } });
    expect(entry!.text).toMatch(/^:rotating_light: backup failed/);
    // The job page's log holds it too; another workspace's member sees neither it nor the incident.
    const incident = await asUser(db.sql, viewer, (tx) => getIncident(tx, { workspaceId, incidentId }));
    expect((await asUser(db.sql, viewer, (tx) => listAlertLog(tx, { workspaceId, scope: { jobId: incident!.job_id }, limit: 10 }))).map((e) => e.id)).toEqual([entry!.id]);
    expect(await asUser(db.sql, stranger, (tx) => listAlertLog(tx, { workspaceId, scope: { incidentId }, limit: 10 }))).toEqual([]);
    expect(await asUser(db.sql, stranger, (tx) => getIncident(tx, { workspaceId, incidentId }))).toBeUndefined();
  });

  it("shows a refused send as retrying with Slack's answer, and tells admins once Slack has refused for over ten minutes", async () => {
    slackAnswers = 503;
    try {
      const incidentId = await reportFailure("export");
      await deliverPendingAlerts(db.sql);
      const [entry] = await asUser(db.sql, viewer, (tx) => listAlertLog(tx, { workspaceId, scope: { incidentId }, limit: 10 }));
      expect(entry!.state).toEqual({ kind: "retrying", error: "Slack answered HTTP 503: no_service" });
      expect(await asUser(db.sql, owner, (tx) => slackRefusingSince(tx, workspaceId))).toBeNull();
      await withService(db.sql, (tx) => tx`update alerts set created_at = now() - interval '11 minutes' where id = ${entry!.id}`);
      expect(await asUser(db.sql, owner, (tx) => slackRefusingSince(tx, workspaceId))).toBeInstanceOf(Date);
      // Given up on: still a refusal while recent.
      await withService(db.sql, (tx) => tx`update alerts set status = 'failed', next_attempt_at = now() where id = ${entry!.id}`);
      expect((await asUser(db.sql, viewer, (tx) => listAlertLog(tx, { workspaceId, scope: { incidentId }, limit: 10 })))[0]!.state).toEqual({
        kind: "failed",
        error: "Slack answered HTTP 503: no_service",
      });
      expect(await asUser(db.sql, owner, (tx) => slackRefusingSince(tx, workspaceId))).toBeInstanceOf(Date);
      await withService(db.sql, (tx) => tx`update alerts set next_attempt_at = now() - interval '20 minutes' where id = ${entry!.id}`);
      expect(await asUser(db.sql, owner, (tx) => slackRefusingSince(tx, workspaceId))).toBeNull();
    } finally {
      slackAnswers = 200;
    }
  });
});
