import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { rerunFailedRuns } from "@/server/runs/bulk";
import { requestRun } from "@/server/runs/service";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { addMember, asUser, outcome, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";

// A member talking to the database directly (as Supabase's PostgREST lets them) can write no
// audit entry for an action their role does not perform, and queue no run with parameters the
// job's schema refuses.
const PERMISSION_DENIED = "42501";
const RLS_REFUSED = "42501";

const SCHEMA = {
  type: "object",
  properties: {
    env: { type: "string", enum: ["staging", "production"] },
    batch: { type: "integer", minimum: 1, maximum: 100 },
    tags: { type: "array", items: { type: "string", maxLength: 10 }, maxItems: 3 },
  },
  required: ["env"],
  additionalProperties: false,
};

let db: TestDatabase;
let owner: TestUser, admin: TestUser, operator: TestUser, viewer: TestUser;
let workspaceId: string;
let jobId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  [admin, operator, viewer] = (await Promise.all(["admin", "operator", "viewer"].map((label) => seedUser(db.sql, label)))) as [TestUser, TestUser, TestUser];
  workspaceId = (await seedWorkspace(db.sql, owner, "Forgery")).id;
  await addMember(db.sql, workspaceId, admin, "admin");
  await addMember(db.sql, workspaceId, operator, "operator");
  await addMember(db.sql, workspaceId, viewer, "viewer");
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, http_target, params_schema)
    values (${workspaceId}, 'deploy', 'Deploy', 'http', ${tx.json({ url: "https://deploy.example.test/", method: "POST" })},
            ${tx.json(SCHEMA)})
    returning id`);
  jobId = job!.id;
});

afterAll(async () => {
  await db?.close();
});

const entries = (action: string) =>
  withService(db.sql, (tx) => tx<{ actor_id: string }[]>`
    select actor_id from audit_log where workspace_id = ${workspaceId} and action = ${action}`);

describe("audit entries are written only for actions the writer's role performs", () => {
  it("refuses a viewer recording a role change, a deletion or an unknown action", async () => {
    await asUser(db.sql, viewer, async (tx) => {
      for (const action of ["member.role_changed", "job.deleted", "run.canceled", "made.up"]) {
        expect(await outcome(tx, (sp) => sp`
          select public.record_audit(${workspaceId}, ${viewer.id}, 'x', ${action}, 'member', ${owner.id}, '{"after":{"role":"owner"}}')`),
        ).toBe(PERMISSION_DENIED);
      }
    });
    expect(await entries("member.role_changed")).toHaveLength(0);
    expect(await entries("made.up")).toHaveLength(0);
  });

  it("refuses an operator recording an admin's action, and a viewer recording someone else leaving", async () => {
    await asUser(db.sql, operator, async (tx) => {
      expect(await outcome(tx, (sp) => sp`
        select public.record_audit(${workspaceId}, ${operator.id}, 'x', 'member.role_changed', 'member', ${viewer.id}, '{}')`),
      ).toBe(PERMISSION_DENIED);
      expect(await outcome(tx, (sp) => sp`
        select public.record_audit(${workspaceId}, ${operator.id}, 'x', 'key.revoked', 'ingest_key', null, '{}')`),
      ).toBe(PERMISSION_DENIED);
    });
    await asUser(db.sql, viewer, async (tx) => {
      expect(await outcome(tx, (sp) => sp`
        select public.record_audit(${workspaceId}, ${viewer.id}, 'x', 'member.left', 'member', ${owner.id}, '{}')`),
      ).toBe(PERMISSION_DENIED);
      expect(await outcome(tx, (sp) => sp`
        select public.record_audit(${workspaceId}, ${viewer.id}, 'x', 'invitation.accepted', 'invitation', gen_random_uuid()::text, '{}')`),
      ).toBe(PERMISSION_DENIED);
    });
    expect(await entries("member.left")).toHaveLength(0);
    expect(await entries("key.revoked")).toHaveLength(0);
  });

  it("still records what each role does: an operator's cancel, an admin's role change, a viewer leaving", async () => {
    await asUser(db.sql, operator, (tx) => tx`
      select public.record_audit(${workspaceId}, ${operator.id}, 'x', 'run.canceled', 'run', null, '{}')`);
    await asUser(db.sql, admin, (tx) => tx`
      select public.record_audit(${workspaceId}, ${admin.id}, 'x', 'member.role_changed', 'member', ${viewer.id}, '{}')`);
    await asUser(db.sql, viewer, (tx) => tx`
      select public.record_audit(${workspaceId}, ${viewer.id}, 'x', 'member.left', 'member', ${viewer.id}, '{}')`);
    expect((await entries("run.canceled")).map((e) => e.actor_id)).toEqual([operator.id]);
    expect((await entries("member.role_changed")).map((e) => e.actor_id)).toEqual([admin.id]);
    expect((await entries("member.left")).map((e) => e.actor_id)).toEqual([viewer.id]);
  });
});

describe("a run queued by a member fits its job's parameter schema", () => {
  const insertRun = (params: unknown) => (sp: Parameters<Parameters<typeof outcome>[1]>[0]) => sp`
    insert into runs (workspace_id, job_id, status, trigger, triggered_by, params)
    values (${workspaceId}, ${jobId}, 'queued', 'manual', ${operator.id}, ${sp.json(params as never)})`;

  it("refuses parameters the schema forbids, inserted directly", async () => {
    const refused = [
      {},                                              // env is required
      { env: "dev" },                                  // not in the enum
      { env: "staging", batch: 1.5 },                  // not an integer
      { env: "staging", batch: 1000 },                 // above the maximum
      { env: "staging", tags: ["a", "b", "c", "d"] },  // too many items
      { env: "staging", tags: ["much-too-long-tag"] }, // an item too long
      { env: "staging", password: "hunter2" },         // no other properties
      ["env", "staging"],                              // not an object at all
    ];
    await asUser(db.sql, operator, async (tx) => {
      for (const params of refused) expect(await outcome(tx, insertRun(params)), JSON.stringify(params)).toBe(RLS_REFUSED);
    });
    const [queued] = await withService(db.sql, (tx) => tx<{ count: number }[]>`
      select count(*)::int as count from runs where job_id = ${jobId}`);
    expect(queued!.count).toBe(0);
  });

  it("queues parameters that fit, as the app sends them", async () => {
    await asUser(db.sql, operator, async (tx) => {
      expect(await outcome(tx, insertRun({ env: "production", batch: 100, tags: ["a", "b"] }))).toBe("ok");
      await requestRun(tx, { workspaceId, jobId, params: { env: "staging" }, actor: { userId: operator.id, email: operator.email } });
    });
    const [queued] = await withService(db.sql, (tx) => tx<{ count: number }[]>`
      select count(*)::int as count from runs where job_id = ${jobId}`);
    expect(queued!.count).toBe(2);
  });

  it("leaves out of a bulk rerun the failed runs whose parameters no longer fit, and reruns the rest", async () => {
    const [unfit, fit] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, params, finished_at) values
        (${workspaceId}, ${jobId}, 'failed', 'manual', ${tx.json({ env: "dev" })}, now()),
        (${workspaceId}, ${jobId}, 'failed', 'manual', ${tx.json({ env: "staging" })}, now())
      returning id`);
    const queued = await asUser(db.sql, operator, (tx) =>
      rerunFailedRuns(tx, { filters: { workspaceId, jobId }, actor: { userId: operator.id, email: operator.email } }));
    expect(queued.map((run) => run.rerunOf)).toEqual([fit!.id]);
    expect(queued.map((run) => run.rerunOf)).not.toContain(unfit!.id);
  });
});

