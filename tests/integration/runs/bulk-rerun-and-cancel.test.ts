import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { isAppError } from "@/server/errors";
import { acknowledgeIncidents, BULK_ACKNOWLEDGE_LIMIT } from "@/server/incidents/service";
import { BULK_LIMIT, cancelActiveRuns, countBulkTargets, rerunFailedRuns } from "@/server/runs/bulk";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

// The bulk actions of /runs and /incidents, under real RLS: one transaction, one audit entry.
let db: TestDatabase;
let workspaceId: string;
let operator: TestUser;
let viewer: TestUser;
let counter = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  operator = await seedUser(db.sql, "operator");
  viewer = await seedUser(db.sql, "viewer");
  workspaceId = (await seedWorkspace(db.sql, owner, "Bulk")).id;
  await addMember(db.sql, workspaceId, operator, "operator");
  await addMember(db.sql, workspaceId, viewer, "viewer");
});

afterAll(async () => {
  await db?.close();
});

const actor = (user: TestUser) => ({ userId: user.id, email: user.email });

async function jobWithRuns(kind: "http" | "reported", statuses: string[]): Promise<{ jobId: string; runIds: string[] }> {
  return withService(db.sql, async (tx) => {
    const key = `bulk-${kind}-${counter++}`;
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, http_target)
      values (${workspaceId}, ${key}, ${key}, ${kind}, ${kind === "http" ? tx.json({ method: "POST", url: "https://example.com/hook" }) : null})
      returning id`;
    const runIds: string[] = [];
    for (const [index, status] of statuses.entries()) {
      const finished = !["queued", "running"].includes(status);
      const [run] = await tx<{ id: string }[]>`
        insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, params)
        values (${workspaceId}, ${job!.id}, ${status}, ${kind === "http" ? "schedule" : "report"},
                now() - make_interval(mins => ${statuses.length - index}), ${status === "queued" ? null : new Date()},
                ${finished ? new Date() : null}, ${tx.json({ attempt: index })})
        returning id`;
      runIds.push(run!.id);
    }
    return { jobId: job!.id, runIds };
  });
}

async function auditEntries(action: string) {
  return db.sql<{ detail: Record<string, unknown>; actor_label: string }[]>`
    select detail, actor_label from audit_log where workspace_id = ${workspaceId} and action = ${action} order by created_at`;
}

async function refusal(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return "allowed";
}

describe("rerun all failed runs shown", () => {
  it("queues one rerun per failed run of the filter, each with its own parameters, audited once with every id", async () => {
    const managed = await jobWithRuns("http", ["failed", "succeeded", "timed_out", "lost", "canceled"]);
    const reported = await jobWithRuns("reported", ["failed"]);
    expect(await asUser(db.sql, operator, (tx) => countBulkTargets(tx, { workspaceId, jobId: managed.jobId }))).toEqual({ rerun: 3, cancel: 0 });
    // A reported job's failure is not Jobboard's to run again.
    expect(await asUser(db.sql, operator, (tx) => countBulkTargets(tx, { workspaceId, jobId: reported.jobId }))).toEqual({ rerun: 0, cancel: 0 });

    const queued = await asUser(db.sql, operator, (tx) => rerunFailedRuns(tx, { filters: { workspaceId, jobId: managed.jobId }, actor: actor(operator) }));
    const originals = [managed.runIds[0], managed.runIds[2], managed.runIds[3]];
    expect(queued.map((run) => run.rerunOf).sort()).toEqual([...originals].sort());
    const reruns = await db.sql<{ rerun_of: string; status: string; trigger: string; triggered_by: string; params: { attempt: number } }[]>`
      select rerun_of, status, trigger, triggered_by, params from runs where id = any(${db.sql.array(queued.map((run) => run.id))}::uuid[])`;
    for (const rerun of reruns) {
      expect(rerun).toMatchObject({ status: "queued", trigger: "rerun", triggered_by: operator.id });
      expect(rerun.params.attempt).toBe(managed.runIds.indexOf(rerun.rerun_of));
    }
    const [entry] = await auditEntries("run.bulk_rerun");
    expect(entry).toMatchObject({ actor_label: operator.email, detail: { count: 3, filters: { job_id: managed.jobId } } });
    expect((entry!.detail.run_ids as string[]).sort()).toEqual(queued.map((run) => run.id).sort());
  });

  it("takes at most the newest BULK_LIMIT runs, and the filter decides which", async () => {
    const many = await jobWithRuns("http", Array.from({ length: BULK_LIMIT + 5 }, () => "failed"));
    expect(await asUser(db.sql, operator, (tx) => countBulkTargets(tx, { workspaceId, jobId: many.jobId }))).toEqual({ rerun: BULK_LIMIT + 1, cancel: 0 });
    const queued = await asUser(db.sql, operator, (tx) => rerunFailedRuns(tx, { filters: { workspaceId, jobId: many.jobId }, actor: actor(operator) }));
    expect(queued).toHaveLength(BULK_LIMIT);
    // The five oldest were left.
    expect(queued.map((run) => run.rerunOf)).not.toContain(many.runIds[0]);
    expect(queued.map((run) => run.rerunOf)).toContain(many.runIds.at(-1));
  });

  it("is refused to a viewer by the database, with nothing queued or audited", async () => {
    const managed = await jobWithRuns("http", ["failed"]);
    const before = (await auditEntries("run.bulk_rerun")).length;
    expect(await refusal(() => asUser(db.sql, viewer, (tx) => rerunFailedRuns(tx, { filters: { workspaceId, jobId: managed.jobId }, actor: actor(viewer) })))).toBe("forbidden");
    expect(await db.sql`select 1 from runs where rerun_of = ${managed.runIds[0]!}`).toHaveLength(0);
    expect(await auditEntries("run.bulk_rerun")).toHaveLength(before);
  });
});

describe("cancel all queued or running runs shown", () => {
  it("cancels them in one transaction, audited once; a viewer changes nothing", async () => {
    const managed = await jobWithRuns("http", ["queued", "running", "succeeded", "queued"]);
    expect(await refusal(() => asUser(db.sql, viewer, (tx) => cancelActiveRuns(tx, { filters: { workspaceId, jobId: managed.jobId }, actor: actor(viewer) })))).toBe("conflict");
    expect(await db.sql`select 1 from runs where job_id = ${managed.jobId} and status = 'canceled'`).toHaveLength(0);

    const canceled = await asUser(db.sql, operator, (tx) =>
      cancelActiveRuns(tx, { filters: { workspaceId, jobId: managed.jobId, status: "queued" }, actor: actor(operator) }),
    );
    expect(canceled.sort()).toEqual([managed.runIds[0]!, managed.runIds[3]!].sort());
    const rows = await db.sql<{ status: string; canceled_by: string | null }[]>`select status, canceled_by from runs where job_id = ${managed.jobId} order by queued_at`;
    expect(rows.map((row) => row.status)).toEqual(["canceled", "running", "succeeded", "canceled"]);
    const [entry] = await auditEntries("run.bulk_cancel");
    expect(entry!.detail).toMatchObject({ count: 2, filters: { job_id: managed.jobId, status: "queued" } });
  });
});

describe("acknowledge the selected incidents", () => {
  async function openIncidents(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const job = await jobWithRuns("reported", ["failed"]);
      const [incident] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
        insert into incidents (workspace_id, job_id, kind, opened_at) values (${workspaceId}, ${job.jobId}, 'failed', now()) returning id`);
      ids.push(incident!.id);
    }
    return ids;
  }

  it("acknowledges the chosen ones only, in one entry; a viewer and an oversized choice are refused", async () => {
    const [first, second, third] = await openIncidents(3);
    expect(await refusal(() => asUser(db.sql, viewer, (tx) => acknowledgeIncidents(tx, { workspaceId, incidentIds: [first!], actor: actor(viewer) })))).toBe("conflict");
    const tooMany = Array.from({ length: BULK_ACKNOWLEDGE_LIMIT + 1 }, () => first!);
    expect(await refusal(() => asUser(db.sql, operator, (tx) => acknowledgeIncidents(tx, { workspaceId, incidentIds: tooMany, actor: actor(operator) })))).toBe("invalid_input");

    const acknowledged = await asUser(db.sql, operator, (tx) => acknowledgeIncidents(tx, { workspaceId, incidentIds: [first!, second!], actor: actor(operator) }));
    expect(acknowledged.sort()).toEqual([first!, second!].sort());
    const rows = await db.sql<{ id: string; acknowledged_by: string | null }[]>`
      select id, acknowledged_by from incidents where id = any(${db.sql.array([first!, second!, third!])}::uuid[])`;
    expect(Object.fromEntries(rows.map((row) => [row.id, row.acknowledged_by]))).toEqual({ [first!]: operator.id, [second!]: operator.id, [third!]: null });
    const [entry] = await auditEntries("incident.bulk_acknowledged");
    expect(entry!.detail).toMatchObject({ count: 2 });
    expect((entry!.detail.incident_ids as string[]).sort()).toEqual([first!, second!].sort());
  });
});
