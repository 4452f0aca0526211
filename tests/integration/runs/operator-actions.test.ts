import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { AppError } from "@/server/errors";
import { acknowledgeIncident } from "@/server/incidents/service";
import { setJobPaused } from "@/server/jobs/service";
import { cancelRun, requestRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedRows, seedUser, seedWorkspace, type SeededRows, type TestUser } from "../support/fixtures";

let db: TestDatabase;
let owner: TestUser, operator: TestUser, viewer: TestUser;
let workspaceId: string;
let rows: SeededRows;

const actorOf = (user: TestUser) => ({ userId: user.id, email: user.email });

async function auditFor(targetId: string) {
  return db.sql<{ action: string; actor_id: string; actor_label: string; detail: Record<string, unknown> }[]>`
    select action, actor_id, actor_label, detail from audit_log where target_id = ${targetId} order by id`;
}

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  operator = await seedUser(db.sql, "operator");
  viewer = await seedUser(db.sql, "viewer");
  workspaceId = (await seedWorkspace(db.sql, owner, "Ops")).id;
  await addMember(db.sql, workspaceId, operator, "operator");
  await addMember(db.sql, workspaceId, viewer, "viewer");
  rows = await seedRows(db.sql, workspaceId, owner);
});

afterAll(async () => {
  await db?.close();
});

describe("rerun", () => {
  it("queues a rerun by an operator with its parameters, audited in the same transaction", async () => {
    const run = await asUser(db.sql, operator, (tx) =>
      requestRun(tx, { workspaceId, jobId: rows.jobId, params: { limit: 5 }, rerunOf: rows.runId, actor: actorOf(operator) }),
    );
    const [stored] = await db.sql`select status, trigger, triggered_by, rerun_of, params from runs where id = ${run.id}`;
    expect(stored).toEqual({ status: "queued", trigger: "rerun", triggered_by: operator.id, rerun_of: rows.runId, params: { limit: 5 } });
    expect(await auditFor(run.id)).toEqual([
      { action: "run.rerun", actor_id: operator.id, actor_label: operator.email, detail: { job_id: rows.jobId, rerun_of: rows.runId, params: { limit: 5 } } },
    ]);
  });

  it("refuses a viewer, and leaves no run and no audit entry behind", async () => {
    const [{ count: before }] = (await db.sql`select count(*)::int as count from runs`) as unknown as [{ count: number }];
    const attempt = asUser(db.sql, viewer, (tx) => requestRun(tx, { workspaceId, jobId: rows.jobId, params: {}, actor: actorOf(viewer) }));
    await expect(attempt).rejects.toMatchObject({ code: "forbidden", message: "Only operators and admins can run jobs." });
    const [{ count: after }] = (await db.sql`select count(*)::int as count from runs`) as unknown as [{ count: number }];
    expect(after).toBe(before);
    expect(await db.sql`select 1 from audit_log where actor_id = ${viewer.id}`).toHaveLength(0);
  });

  it("refuses to rerun a run of another job", async () => {
    const other = await withService(db.sql, async (tx) => {
      const [job] = await tx<{ id: string }[]>`
        insert into jobs (workspace_id, job_key, title, kind, task_name) values (${workspaceId}, 'other', 'Other', 'task', 'fail-on-demand')
        returning id`;
      return job!.id;
    });
    const attempt = asUser(db.sql, operator, (tx) =>
      requestRun(tx, { workspaceId, jobId: other, params: {}, rerunOf: rows.runId, actor: actorOf(operator) }),
    );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses to start a reported job, which runs outside Jobboard", async () => {
    const reported = await withService(db.sql, async (tx) => {
      const [job] = await tx<{ id: string }[]>`insert into jobs (workspace_id, job_key, title) values (${workspaceId}, 'cron-box', 'Cron box') returning id`;
      return job!.id;
    });
    const attempt = asUser(db.sql, operator, (tx) => requestRun(tx, { workspaceId, jobId: reported, params: {}, actor: actorOf(operator) }));
    await expect(attempt).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("reports from outside Jobboard") });
    expect(await db.sql`select 1 from runs where job_id = ${reported}`).toHaveLength(0);
  });
});

describe("cancel", () => {
  it("cancels a queued run for an operator, audited, and refuses to cancel it twice", async () => {
    const run = await asUser(db.sql, operator, (tx) => requestRun(tx, { workspaceId, jobId: rows.jobId, params: {}, actor: actorOf(operator) }));
    await asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId, runId: run.id, actor: actorOf(operator) }));
    const [stored] = await db.sql`select status, canceled_by, finished_at from runs where id = ${run.id}`;
    expect(stored).toMatchObject({ status: "canceled", canceled_by: operator.id });
    expect(stored!.finished_at).not.toBeNull();
    expect((await auditFor(run.id)).map((entry) => entry.action)).toEqual(["run.manual", "run.canceled"]);

    const again = asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId, runId: run.id, actor: actorOf(operator) }));
    await expect(again).rejects.toMatchObject({ code: "conflict", message: "This run has already been canceled." });
  });

  it("refuses a viewer and a finished run", async () => {
    const run = await asUser(db.sql, operator, (tx) => requestRun(tx, { workspaceId, jobId: rows.jobId, params: {}, actor: actorOf(operator) }));
    await expect(asUser(db.sql, viewer, (tx) => cancelRun(tx, { workspaceId, runId: run.id, actor: actorOf(viewer) }))).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(asUser(db.sql, operator, (tx) => cancelRun(tx, { workspaceId, runId: rows.runId, actor: actorOf(operator) }))).rejects.toMatchObject({
      code: "conflict",
      message: "This run has already finished.",
    });
    const [stored] = await db.sql`select status from runs where id = ${run.id}`;
    expect(stored!.status).toBe("queued");
  });
});

describe("acknowledge and pause", () => {
  it("lets an operator acknowledge an open incident once, audited; a viewer cannot", async () => {
    await expect(
      asUser(db.sql, viewer, (tx) => acknowledgeIncident(tx, { workspaceId, incidentId: rows.incidentId, actor: actorOf(viewer) })),
    ).rejects.toMatchObject({ code: "forbidden" });
    await asUser(db.sql, operator, (tx) => acknowledgeIncident(tx, { workspaceId, incidentId: rows.incidentId, actor: actorOf(operator) }));
    const [incident] = await db.sql`select acknowledged_by, acknowledged_at from incidents where id = ${rows.incidentId}`;
    expect(incident!.acknowledged_by).toBe(operator.id);
    expect((await auditFor(rows.incidentId)).map((entry) => [entry.action, entry.actor_id])).toEqual([["incident.acknowledged", operator.id]]);
    await expect(
      asUser(db.sql, operator, (tx) => acknowledgeIncident(tx, { workspaceId, incidentId: rows.incidentId, actor: actorOf(operator) })),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("lets an operator pause and resume a job with a before/after audit, though operators cannot edit jobs", async () => {
    await asUser(db.sql, operator, (tx) => setJobPaused(tx, { workspaceId, jobId: rows.jobId, isPaused: true, actor: actorOf(operator) }));
    expect((await db.sql`select paused from jobs where id = ${rows.jobId}`)[0]!.paused).toBe(true);
    // Pausing a paused job changes nothing and writes nothing.
    await asUser(db.sql, operator, (tx) => setJobPaused(tx, { workspaceId, jobId: rows.jobId, isPaused: true, actor: actorOf(operator) }));
    await asUser(db.sql, operator, (tx) => setJobPaused(tx, { workspaceId, jobId: rows.jobId, isPaused: false, actor: actorOf(operator) }));
    const entries = (await auditFor(rows.jobId)).filter((entry) => entry.action.startsWith("job.") && entry.action !== "job.created");
    expect(entries.map((entry) => [entry.action, entry.detail])).toEqual([
      ["job.paused", { before: { paused: false }, after: { paused: true } }],
      ["job.resumed", { before: { paused: true }, after: { paused: false } }],
    ]);
    await expect(
      asUser(db.sql, viewer, (tx) => setJobPaused(tx, { workspaceId, jobId: rows.jobId, isPaused: true, actor: actorOf(viewer) })),
    ).rejects.toMatchObject({ code: "forbidden", message: "Only operators and admins can pause or resume jobs." });
    expect((await db.sql`select paused from jobs where id = ${rows.jobId}`)[0]!.paused).toBe(false);
  });
});
