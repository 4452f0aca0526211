import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { addMember, asUser, outcome, seedRows, seedUser, seedWorkspace, type SeededRows, type TestUser } from "../integration/support/fixtures";

const PERMISSION_DENIED = "42501";
const FOREIGN_KEY_VIOLATION = "23503";

let db: TestDatabase;
let owner: TestUser, operator: TestUser, other: TestUser, outsider: TestUser;
let workspaceA: string, workspaceB: string;
let rowsA: SeededRows, rowsB: SeededRows;

async function queuedRun(workspaceId: string, jobId: string): Promise<string> {
  const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, status, trigger) values (${workspaceId}, ${jobId}, 'queued', 'manual') returning id`);
  return run!.id;
}

async function openIncident(workspaceId: string, jobId: string): Promise<string> {
  const [incident] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    update incidents set acknowledged_at = null, acknowledged_by = null
    where workspace_id = ${workspaceId} and job_id = ${jobId} returning id`);
  return incident!.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  [owner, operator, other, outsider] = (await Promise.all(
    ["owner", "operator", "other", "outsider"].map((label) => seedUser(db.sql, label)),
  )) as [TestUser, TestUser, TestUser, TestUser];
  workspaceA = (await seedWorkspace(db.sql, owner, "A")).id;
  workspaceB = (await seedWorkspace(db.sql, outsider, "B")).id;
  await addMember(db.sql, workspaceA, operator, "operator");
  await addMember(db.sql, workspaceA, other, "operator");
  // The owner of A is an operator in B too: the workspace acted in still decides.
  await addMember(db.sql, workspaceB, owner, "operator");
  rowsA = await seedRows(db.sql, workspaceA, owner);
  rowsB = await seedRows(db.sql, workspaceB, outsider);
});

afterAll(async () => {
  await db?.close();
});

describe("the audit log is written by the server only", () => {
  it("refuses a member's forged row inserted directly", async () => {
    await asUser(db.sql, owner, async (tx) => {
      expect(
        await outcome(tx, (sp) => sp`
          insert into audit_log (workspace_id, actor_id, actor_label, action, target_type, created_at)
          values (${workspaceA}, ${operator.id}, ${operator.email}, 'job.deleted', 'job', '2020-01-01')`),
      ).toBe(PERMISSION_DENIED);
      expect(
        await outcome(tx, (sp) => sp`
          insert into audit_log (workspace_id, actor_id, actor_label, action, target_type)
          values (${workspaceA}, ${owner.id}, ${owner.email}, 'job.deleted', 'job')`),
      ).toBe(PERMISSION_DENIED);
    });
    const [forged] = await withService(db.sql, (tx) => tx<{ count: number }[]>`
      select count(*)::int as count from audit_log where workspace_id = ${workspaceA} and action = 'job.deleted'`);
    expect(forged!.count).toBe(0);
  });

  it("records the signed-in user and the database's clock, whatever actor and label the caller names", async () => {
    await asUser(db.sql, operator, (tx) => tx`
      select public.record_audit(${workspaceA}, ${owner.id}, 'system', 'run.manual', 'run', 'forged-actor', '{}')`);
    const [entry] = await withService(db.sql, (tx) => tx<{ actor_id: string; actor_label: string; created_at: Date }[]>`
      select actor_id, actor_label, created_at from audit_log where target_id = 'forged-actor'`);
    expect(entry!.actor_id).toBe(operator.id);
    expect(entry!.actor_label).toBe(operator.email);
    const [clock] = await withService(db.sql, (tx) => tx<{ now: Date }[]>`select now() as now`);
    expect(entry!.created_at.getTime()).toBeLessThanOrEqual(clock!.now.getTime());
  });

  it("refuses a signed-in role with no user naming an actor of its choosing", async () => {
    const result = await db.sql.begin(async (tx) => {
      await tx`set local role authenticated`;
      return outcome(tx, (sp) => sp`select public.record_audit(${workspaceA}, ${owner.id}, 'x', 'job.deleted', 'job', null, '{}')`);
    });
    expect(result).toBe(PERMISSION_DENIED);
  });

  it("refuses an entry in a workspace the user is not a member of", async () => {
    const result = await asUser(db.sql, operator, (tx) =>
      outcome(tx, (sp) => sp`select public.record_audit(${workspaceB}, ${operator.id}, 'x', 'job.deleted', 'job', null, '{}')`),
    );
    expect(result).toBe(PERMISSION_DENIED);
  });
});

describe("pause and resume act only in the workspace named", () => {
  it("refuses pausing another workspace's job through a workspace where the user is an operator", async () => {
    const result = await asUser(db.sql, owner, (tx) =>
      outcome(tx, (sp) => sp`select public.set_job_paused(${workspaceA}, ${rowsB.jobId}, true)`),
    );
    expect(result).toBe(PERMISSION_DENIED);
    const [job] = await withService(db.sql, (tx) => tx<{ paused: boolean }[]>`select paused from jobs where id = ${rowsB.jobId}`);
    expect(job!.paused).toBe(false);
  });

  it("still pauses a job of the workspace acted in", async () => {
    const [result] = await asUser(db.sql, operator, (tx) => tx<{ changed: boolean }[]>`
      select public.set_job_paused(${workspaceA}, ${rowsA.jobId}, true) as changed`);
    expect(result!.changed).toBe(true);
    await asUser(db.sql, operator, (tx) => tx`select public.set_job_paused(${workspaceA}, ${rowsA.jobId}, false)`);
  });
});

describe("a job and a rerun never point at another workspace's run", () => {
  it("refuses an admin setting last_run_id to a run of another workspace", async () => {
    await asUser(db.sql, owner, async (tx) => {
      expect(await outcome(tx, (sp) => sp`update jobs set last_run_id = ${rowsB.runId} where id = ${rowsA.jobId}`)).toBe(
        PERMISSION_DENIED,
      );
      // Nor can the job move to another workspace or take another creator.
      expect(await outcome(tx, (sp) => sp`update jobs set workspace_id = ${workspaceB} where id = ${rowsA.jobId}`)).toBe(
        PERMISSION_DENIED,
      );
      expect(await outcome(tx, (sp) => sp`update jobs set created_by = ${operator.id} where id = ${rowsA.jobId}`)).toBe(
        PERMISSION_DENIED,
      );
      expect(await outcome(tx, (sp) => sp`update jobs set title = 'Still editable' where id = ${rowsA.jobId}`)).toBe("ok");
    });
  });

  it("refuses the pointer across workspaces even for the service role", async () => {
    const result = await withService(db.sql, (tx) =>
      outcome(tx, (sp) => sp`update jobs set last_run_id = ${rowsB.runId} where id = ${rowsA.jobId}`),
    );
    expect(result).toBe(FOREIGN_KEY_VIOLATION);
  });

  it("refuses a rerun of another workspace's run", async () => {
    const result = await asUser(db.sql, operator, (tx) =>
      outcome(tx, (sp) => sp`
        insert into runs (workspace_id, job_id, status, trigger, triggered_by, rerun_of)
        values (${workspaceA}, ${rowsA.jobId}, 'queued', 'rerun', ${operator.id}, ${rowsB.runId})`),
    );
    expect(result).toBe(FOREIGN_KEY_VIOLATION);
  });
});

describe("acknowledging and cancelling are done in one's own name", () => {
  it("refuses an operator acknowledging an incident as another user", async () => {
    const incidentId = await openIncident(workspaceA, rowsA.jobId);
    await asUser(db.sql, operator, async (tx) => {
      expect(
        await outcome(tx, (sp) => sp`
          update incidents set acknowledged_at = now(), acknowledged_by = ${other.id} where id = ${incidentId}`),
      ).toBe(PERMISSION_DENIED);
      expect(
        await outcome(tx, (sp) => sp`
          update incidents set acknowledged_at = now(), acknowledged_by = ${operator.id} where id = ${incidentId}`),
      ).toBe("ok");
    });
  });

  it("refuses an operator cancelling a run as another user", async () => {
    const runId = await queuedRun(workspaceA, rowsA.jobId);
    await asUser(db.sql, operator, async (tx) => {
      expect(
        await outcome(tx, (sp) => sp`
          update runs set status = 'canceled', finished_at = now(), canceled_by = ${other.id} where id = ${runId}`),
      ).toBe(PERMISSION_DENIED);
      expect(
        await outcome(tx, (sp) => sp`
          update runs set status = 'canceled', finished_at = now(), canceled_by = null where id = ${runId}`),
      ).toBe(PERMISSION_DENIED);
      expect(
        await outcome(tx, (sp) => sp`
          update runs set status = 'canceled', finished_at = now(), canceled_by = ${operator.id} where id = ${runId}`),
      ).toBe("ok");
    });
  });
});
