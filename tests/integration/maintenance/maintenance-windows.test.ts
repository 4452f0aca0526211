import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { handleJobReport } from "@/server/ingest/http";
import { maintenanceFormSchema, maintenanceValues } from "@/server/maintenance/schemas";
import { createMaintenanceWindow, deleteMaintenanceWindow } from "@/server/maintenance/service";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { releaseHeldAlerts } from "@/server/notify/held";
import { markMissedJobs } from "@/server/schedule/tick";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { serveHandlers, type TestServer } from "../support/http-server";
import { startSlackFor } from "../support/slack";

// Maintenance windows on a controllable clock: what a report says happened when, and the tick's
// `now`. Reports go over real HTTP, Slack is a real HTTP server, the windows are planned under RLS.
const HOUR = 3_600_000;
let db: TestDatabase;
let server: TestServer;
let owner: TestUser, operator: TestUser, viewer: TestUser;
let counter = 0;
// The tests deliver on their own clock; the notifier the handler would wake is counted instead.
let wakes = 0;

type Space = { id: string; token: string; slack: Awaited<ReturnType<typeof startSlackFor>> };
const spaces: Space[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  operator = await seedUser(db.sql, "operator");
  viewer = await seedUser(db.sql, "viewer");
  server = await serveHandlers({ "/api/monitor/job-report": (request) => handleJobReport(request, { getSql: async () => db.sql, onAlertsQueued: () => wakes++ }) });
});

afterAll(async () => {
  await server?.close();
  for (const space of spaces) await space.slack.close();
  await db?.close();
});

/** A workspace of its own, so a workspace-wide window touches only this test. */
async function space(): Promise<Space> {
  const workspace = await seedWorkspace(db.sql, owner, `Maintenance ${counter++}`);
  await addMember(db.sql, workspace.id, operator, "operator");
  await addMember(db.sql, workspace.id, viewer, "viewer");
  const created = { id: workspace.id, token: (await seedIngestKey(db.sql, workspace.id)).token, slack: await startSlackFor(db.sql, workspace.id) };
  spaces.push(created);
  return created;
}

async function plan(workspaceId: string, form: Record<string, string>, as: TestUser = operator) {
  const values = maintenanceValues(maintenanceFormSchema.parse({ timezone: "UTC", ...form }));
  return asUser(db.sql, as, (tx) => createMaintenanceWindow(tx, { workspaceId, values, actor: { userId: as.id, email: as.email } }));
}

async function report(s: Space, jobKey: string, status: "success" | "error", finishedAt: Date) {
  const response = await fetch(`${server.url}/api/monitor/job-report`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` },
    body: JSON.stringify({ job_key: jobKey, title: jobKey, status, finished_at: finishedAt.toISOString(), message: `${status} at ${finishedAt.toISOString()}` }),
  });
  expect(response.status).toBe(200);
}

async function jobIdOf(workspaceId: string, jobKey: string) {
  const [job] = await db.sql<{ id: string }[]>`select id from jobs where workspace_id = ${workspaceId} and job_key = ${jobKey}`;
  return job!.id;
}

async function alertsOf(workspaceId: string, jobKey: string) {
  return db.sql<{ kind: string; status: string }[]>`
    select a.kind, a.status from alerts a join jobs j on j.id = a.job_id
    where j.workspace_id = ${workspaceId} and j.job_key = ${jobKey} order by a.created_at, a.id`;
}

const local = (date: Date) => date.toISOString().slice(0, 16);

describe("maintenance windows", () => {
  it("records a failure inside a workspace window but tells Slack only of the one outside it", async () => {
    const s = await space();
    const now = new Date();
    await plan(s.id, { title: "Database upgrade", kind: "once", startsAt: local(new Date(now.getTime() - 3 * HOUR)), endsAt: local(new Date(now.getTime() - HOUR)) });
    await report(s, "inside", "error", new Date(now.getTime() - 2 * HOUR));
    await report(s, "outside", "error", new Date(now.getTime() - 30 * 60_000));

    await deliverPendingAlerts(db.sql);
    // Both failures are recorded, with their incidents.
    const open = await db.sql`select j.job_key from incidents i join jobs j on j.id = i.job_id where i.workspace_id = ${s.id} and i.resolved_at is null order by j.job_key`;
    expect(open.map((row) => row.job_key)).toEqual(["inside", "outside"]);
    expect(s.slack.messages.map((message) => message.text)).toEqual([":rotating_light: outside failed"]);
    expect(await alertsOf(s.id, "inside")).toEqual([{ kind: "failure", status: "held" }]);
  });

  it("holds a job's failure until its window ends, then tells Slack once if the incident is still open", async () => {
    const s = await space();
    const now = new Date();
    const ends = new Date(now.getTime() + HOUR);
    await report(s, "nightly", "success", new Date(now.getTime() - 4 * HOUR));
    await plan(s.id, { title: "Deploy", kind: "once", jobId: await jobIdOf(s.id, "nightly"), startsAt: local(new Date(now.getTime() - HOUR)), endsAt: local(ends) });
    await report(s, "nightly", "error", new Date(now.getTime() - 10 * 60_000));
    // Another job in the same workspace is not in this job's window.
    await report(s, "other", "error", new Date(now.getTime() - 10 * 60_000));
    await deliverPendingAlerts(db.sql, { now });
    expect(s.slack.messages.map((message) => message.text)).toEqual([":rotating_light: other failed"]);

    // Other tests' windows share this database, so what is released is read per job.
    await releaseHeldAlerts(db.sql, new Date(ends.getTime() - 60_000));
    expect(await alertsOf(s.id, "nightly")).toEqual([{ kind: "failure", status: "held" }]);
    await releaseHeldAlerts(db.sql, ends);
    expect(await alertsOf(s.id, "nightly")).toEqual([{ kind: "failure", status: "pending" }]);
    await deliverPendingAlerts(db.sql, { now: ends });
    const nightly = s.slack.about("nightly");
    expect(nightly.map((message) => message.text)).toEqual([":rotating_light: nightly failed"]);
    expect(JSON.stringify(nightly[0])).toContain("Held during a maintenance window");
    // Released once: later ticks change nothing.
    await releaseHeldAlerts(db.sql, new Date(ends.getTime() + HOUR));
    await deliverPendingAlerts(db.sql, { now: new Date(ends.getTime() + HOUR) });
    expect(s.slack.about("nightly")).toHaveLength(1);
    expect(await alertsOf(s.id, "nightly")).toEqual([{ kind: "failure", status: "sent" }]);
  });

  it("drops what it held when the incident resolved inside the window, recovery included", async () => {
    const s = await space();
    const now = new Date();
    await plan(s.id, { title: "Failover drill", kind: "once", startsAt: local(new Date(now.getTime() - 2 * HOUR)), endsAt: local(new Date(now.getTime() + HOUR)) });
    await report(s, "flaky", "error", new Date(now.getTime() - HOUR));
    await report(s, "flaky", "success", new Date(now.getTime() - 30 * 60_000));
    await deliverPendingAlerts(db.sql, { now });
    await releaseHeldAlerts(db.sql, new Date(now.getTime() + HOUR));
    await deliverPendingAlerts(db.sql, { now: new Date(now.getTime() + HOUR) });
    expect(s.slack.messages).toEqual([]);
    expect(await alertsOf(s.id, "flaky")).toEqual([
      { kind: "failure", status: "suppressed" },
      { kind: "recovery", status: "suppressed" },
    ]);
  });

  it("records a miss inside a window as an incident, and holds its alert", async () => {
    const s = await space();
    const now = new Date();
    await withService(db.sql, (tx) => tx`
      insert into jobs (workspace_id, job_key, title, schedule_period_seconds, grace_seconds, created_at)
      values (${s.id}, 'hourly', 'hourly', 3600, 60, ${new Date(now.getTime() - 150 * 60_000)})`);
    await plan(s.id, { title: "Network work", kind: "once", startsAt: local(new Date(now.getTime() - HOUR)), endsAt: local(new Date(now.getTime() + HOUR)) });
    const missed = await markMissedJobs(db.sql, now);
    expect(missed.map((job) => job.jobId)).toContain(await jobIdOf(s.id, "hourly"));
    await deliverPendingAlerts(db.sql, { now });
    expect(s.slack.messages).toEqual([]);
    expect(await alertsOf(s.id, "hourly")).toEqual([{ kind: "missed", status: "held" }]);
  });

  it("follows a recurring New York window across the night clocks fall back: two hours of real time from the first 01:00", async () => {
    const s = await space();
    // The job exists before its window is planned.
    await report(s, "backup", "success", new Date("2026-10-31T12:00:00Z"));
    await plan(s.id, { title: "Nightly vacuum", kind: "recurring", jobId: await jobIdOf(s.id, "backup"), cron: "0 1 * * *", timezone: "America/New_York", durationMinutes: "120" });
    // 2026-11-01: 01:00 EDT is 05:00 UTC, so the window runs to 07:00 UTC (02:00 EST).
    await report(s, "backup", "error", new Date("2026-11-01T06:30:00Z")); // 01:30 EST, the second 01:30: inside
    await deliverPendingAlerts(db.sql, { now: new Date("2026-11-01T06:31:00Z") });
    expect(s.slack.messages).toEqual([]);
    await report(s, "backup", "success", new Date("2026-11-01T06:40:00Z"));
    // Resolved inside the window: what it held is dropped when the window ends.
    await releaseHeldAlerts(db.sql, new Date("2026-11-01T07:00:00Z"));
    await report(s, "backup", "error", new Date("2026-11-01T07:30:00Z")); // 02:30 EST: the window is over
    await deliverPendingAlerts(db.sql, { now: new Date("2026-11-01T07:31:00Z") });
    expect(s.slack.messages.map((message) => message.text)).toEqual([":rotating_light: backup failed"]);
    await report(s, "backup", "success", new Date("2026-11-01T08:00:00Z"));
    await deliverPendingAlerts(db.sql, { now: new Date("2026-11-01T08:01:00Z") });
    // 2026-11-02: 01:00 EST is 06:00 UTC, so 07:30 UTC is inside now.
    await report(s, "backup", "error", new Date("2026-11-02T07:30:00Z"));
    await deliverPendingAlerts(db.sql, { now: new Date("2026-11-02T07:31:00Z") });
    expect(s.slack.messages.map((message) => message.text)).toEqual([":rotating_light: backup failed", ":white_check_mark: backup recovered"]);
    expect((await alertsOf(s.id, "backup")).map((alert) => alert.status)).toEqual(["suppressed", "suppressed", "sent", "sent", "held"]);
  });

  it("is planned by operators, not viewers; removing it early lets what it held go at the next tick; both are audited", async () => {
    const s = await space();
    const now = new Date();
    const form = { title: "Viewer try", kind: "once", startsAt: local(new Date(now.getTime() - HOUR)), endsAt: local(new Date(now.getTime() + HOUR)) };
    await expect(plan(s.id, form, viewer)).rejects.toMatchObject({ code: "forbidden" });
    const windowId = await plan(s.id, { ...form, title: "Long window" });
    await report(s, "etl", "error", new Date(now.getTime() - 10 * 60_000));
    await deliverPendingAlerts(db.sql, { now });
    expect(await alertsOf(s.id, "etl")).toEqual([{ kind: "failure", status: "held" }]);

    await expect(asUser(db.sql, viewer, (tx) => deleteMaintenanceWindow(tx, { workspaceId: s.id, windowId, actor: { userId: viewer.id, email: viewer.email } }))).rejects.toMatchObject({ code: "not_found" });
    await asUser(db.sql, operator, (tx) => deleteMaintenanceWindow(tx, { workspaceId: s.id, windowId, actor: { userId: operator.id, email: operator.email } }));
    await releaseHeldAlerts(db.sql, new Date());
    expect(await alertsOf(s.id, "etl")).toEqual([{ kind: "failure", status: "pending" }]);
    await deliverPendingAlerts(db.sql);
    expect(s.slack.messages.map((message) => message.text)).toEqual([":rotating_light: etl failed"]);
    const audit = await db.sql`select action, actor_label from audit_log where workspace_id = ${s.id} and target_type = 'maintenance_window' order by created_at`;
    expect(audit).toEqual([
      { action: "maintenance.created", actor_label: operator.email },
      { action: "maintenance.deleted", actor_label: operator.email },
    ]);
  });

  it("refuses a form with the field named: an end before the start, a bad cron, a missing length", () => {
    const issues = (form: Record<string, string>) =>
      maintenanceFormSchema.safeParse({ title: "W", timezone: "Asia/Tokyo", ...form }).error?.issues.map((issue) => issue.path.join("."));
    expect(issues({ kind: "once", startsAt: "2026-12-24T03:00", endsAt: "2026-12-24T02:00" })).toEqual(["endsAt"]);
    expect(issues({ kind: "once", startsAt: "2026-02-30T03:00", endsAt: "2026-03-24T02:00" })).toEqual(["startsAt"]);
    expect(issues({ kind: "recurring", cron: "0 25 * * *", durationMinutes: "30" })).toEqual(["cron"]);
    expect(issues({ kind: "recurring", cron: "0 3 * * *" })).toEqual(["durationMinutes"]);
    expect(issues({ kind: "sometimes" })).toEqual(["kind"]);
    // A one-off's times are read on the chosen zone's wall clock.
    const tokyo = maintenanceValues(maintenanceFormSchema.parse({ title: "W", timezone: "Asia/Tokyo", kind: "once", startsAt: "2026-12-24T03:00", endsAt: "2026-12-24T05:00" }));
    expect(tokyo.starts_at?.toISOString()).toBe("2026-12-23T18:00:00.000Z");
  });
});
