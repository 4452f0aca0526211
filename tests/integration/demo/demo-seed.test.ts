import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "@/server/auth/accounts";
import { DEMO_PASSWORD, DEMO_USERS, RECAP_STAGES, seedDemo } from "@/server/demo/seed";
import { sharedSecretTarget } from "@/server/ingest/config";
import { countOpenIncidents, listMyWorkspaces } from "@/server/workspaces/queries";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { asUser } from "../support/fixtures";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

describe("demo seed", () => {
  it("seeds a demo workspace that has something on every page, once", async () => {
    const now = new Date("2026-11-23T03:00:00Z");
    expect((await seedDemo(db.sql, now)).seeded).toBe(true);
    expect((await seedDemo(db.sql, now)).seeded).toBe(false);

    const owner = await authenticate(db.sql, DEMO_USERS.owner, DEMO_PASSWORD);
    expect(owner).not.toBeNull();
    const workspaces = await asUser(db.sql, owner!, listMyWorkspaces);
    expect(workspaces.map((w) => [w.slug, w.role])).toEqual([
      ["demo", "owner"],
      ["research-lab", "owner"],
    ]);
    const demo = workspaces[0]!;
    // Made first, in the same transaction as the lab: the shared secret reports to Demo even
    // where no workspace is configured for it.
    expect(await sharedSecretTarget(db.sql, { webhookSecret: "any" })).toMatchObject({ slug: "demo" });

    const incidents = await asUser(db.sql, owner!, (tx) => tx<{ job_key: string; kind: string }[]>`
      select j.job_key, i.kind from incidents i join jobs j on j.id = i.job_id
      where i.workspace_id = ${demo.id} and i.resolved_at is null order by j.job_key`);
    expect(incidents).toEqual([
      { job_key: "inventory-sync", kind: "missed" },
      { job_key: "sales-report-export", kind: "failed" },
    ]);
    expect(await asUser(db.sql, owner!, (tx) => countOpenIncidents(tx, demo.id))).toBe(2);

    const [running] = await asUser(db.sql, owner!, (tx) => tx<{ stages: string[]; current_stage: string }[]>`
      select stages, current_stage from runs where workspace_id = ${demo.id} and status = 'running'`);
    expect(running).toEqual({ stages: RECAP_STAGES, current_stage: "Genre" });

    const [failed] = await asUser(db.sql, owner!, (tx) => tx<{ stderr_tail: string }[]>`
      select stderr_tail from runs where workspace_id = ${demo.id} and status = 'failed' order by queued_at desc limit 1`);
    expect(failed!.stderr_tail).toContain("Traceback");

    for (const role of ["operator", "viewer"] as const) {
      const user = await authenticate(db.sql, DEMO_USERS[role], DEMO_PASSWORD);
      const [membership] = await asUser(db.sql, user!, listMyWorkspaces);
      expect(membership).toMatchObject({ slug: "demo", role });
    }

    // The audit log tells the same story as the data: who was invited, what was edited.
    const audit = await asUser(db.sql, owner!, (tx) => tx<{ action: string; detail: Record<string, unknown> }[]>`
      select action, detail from audit_log where workspace_id = ${demo.id} order by created_at, id`);
    expect(audit.map((entry) => entry.action)).toEqual(["workspace.created", "member.invited", "member.invited", "job.updated"]);
    expect(audit[3]!.detail).toEqual({ before: { grace_seconds: 600 }, after: { grace_seconds: 900 } });
  });
});
