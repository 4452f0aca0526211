import { mkdtemp, readdir, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, defaultMigrationsDir } from "@/server/db/migrate";
import { withService } from "@/server/db/transactions";
import { ingestReportIn } from "@/server/ingest/service";
import { reportSchema } from "@/server/ingest/schemas";
import { maintenanceFormSchema, maintenanceValues } from "@/server/maintenance/schemas";
import { createMaintenanceWindow } from "@/server/maintenance/service";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import type { Sql } from "@/server/db/sql";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "../support/database";
import { asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { startSlackFor, type SlackStandIn } from "../support/slack";

// A maintenance window is its own workspace's business: one tenant planning one must never hold
// another's alerts, even when both land in the same delivery batch.
const HOUR = 3_600_000;
const local = (date: Date) => date.toISOString().slice(0, 16);
const closers: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function report(sql: Sql, workspaceId: string, jobKey: string, status: "success" | "error", finishedAt: Date) {
  const parsed = reportSchema.parse({ job_key: jobKey, title: jobKey, status, finished_at: finishedAt.toISOString(), message: status === "error" ? "disk full" : "ok" });
  await withService(sql, (tx) => ingestReportIn(tx, { workspaceId, report: parsed }));
}

async function statusesOf(sql: Sql, workspaceId: string) {
  return sql<{ kind: string; status: string }[]>`
    select kind, status from alerts where workspace_id = ${workspaceId} order by created_at, id`;
}

describe("maintenance across workspaces", () => {
  let db: TestDatabase;
  let owner: TestUser;
  let inMaintenance: { id: string; slack: SlackStandIn };
  let working: { id: string; slack: SlackStandIn };

  beforeAll(async () => {
    db = await createTestDatabase();
    closers.push(() => db.close());
    owner = await seedUser(db.sql, "owner");
    for (const name of ["In maintenance", "Working"]) {
      const workspace = await seedWorkspace(db.sql, owner, name);
      const slack = await startSlackFor(db.sql, workspace.id);
      closers.push(() => slack.close());
      if (name === "Working") working = { id: workspace.id, slack };
      else inMaintenance = { id: workspace.id, slack };
    }
  });

  it("holds only the planning workspace's alerts when two workspaces share a delivery batch", async () => {
    const now = new Date();
    const values = maintenanceValues(maintenanceFormSchema.parse({
      title: "Whole-workspace upgrade", kind: "once", timezone: "UTC",
      startsAt: local(new Date(now.getTime() - HOUR)), endsAt: local(new Date(now.getTime() + HOUR)),
    }));
    await asUser(db.sql, owner, (tx) => createMaintenanceWindow(tx, { workspaceId: inMaintenance.id, values, actor: { userId: owner.id, email: owner.email } }));

    // Interleaved, so one batch of the deliverer holds both workspaces' alerts.
    await report(db.sql, inMaintenance.id, "backup", "error", new Date(now.getTime() - 60_000));
    await report(db.sql, working.id, "backup", "error", new Date(now.getTime() - 50_000));
    const batch = await deliverPendingAlerts(db.sql, { now });
    expect(batch).toMatchObject({ sent: 1, held: 1 });
    expect(working.slack.messages.map((message) => message.text)).toEqual([":rotating_light: backup failed"]);
    expect(inMaintenance.slack.messages).toEqual([]);
    expect(await statusesOf(db.sql, inMaintenance.id)).toEqual([{ kind: "failure", status: "held" }]);

    // The working workspace's recovery is news too, told at once.
    await report(db.sql, inMaintenance.id, "backup", "success", new Date(now.getTime() - 20_000));
    await report(db.sql, working.id, "backup", "success", new Date(now.getTime() - 10_000));
    await deliverPendingAlerts(db.sql, { now });
    expect(working.slack.messages.map((message) => message.text)).toEqual([":rotating_light: backup failed", ":white_check_mark: backup recovered"]);
    expect(inMaintenance.slack.messages).toEqual([]);
    expect(await statusesOf(db.sql, working.id)).toEqual([
      { kind: "failure", status: "sent" },
      { kind: "recovery", status: "sent" },
    ]);
  });

  it("refuses, in the database, an alert held by another workspace's window", async () => {
    const [other] = await db.sql<{ id: string }[]>`select id from maintenance_windows where workspace_id = ${inMaintenance.id}`;
    const [alert] = await db.sql<{ id: string }[]>`select id from alerts where workspace_id = ${working.id} limit 1`;
    await expect(withService(db.sql, (tx) => tx`update alerts set maintenance_window_id = ${other!.id} where id = ${alert!.id}`))
      .rejects.toMatchObject({ code: "23503" });
  });
});

describe("the migration that keeps windows to their workspace", () => {
  it("releases what another workspace's window held, and the recovery it suppressed, to be delivered", async () => {
    // A database as it was before the fix, with alerts a foreign window held.
    const all = await readdir(defaultMigrationsDir());
    const fix = all.find((name) => name.includes("maintenance_holds_own_workspace"))!;
    const before = await mkdtemp(path.join(tmpdir(), "jobboard-migrations-"));
    for (const name of all.filter((file) => file < fix)) await symlink(path.join(defaultMigrationsDir(), name), path.join(before, name));
    const db = await createEmptyDatabase();
    closers.push(() => db.close());
    await migrate(db.sql, { migrationsDir: before });

    const owner = await seedUser(db.sql, "owner");
    const planner = await seedWorkspace(db.sql, owner, "Planner");
    const victim = await seedWorkspace(db.sql, owner, "Victim");
    const slack = await startSlackFor(db.sql, victim.id);
    closers.push(() => slack.close());
    const now = new Date();
    await report(db.sql, victim.id, "etl", "error", new Date(now.getTime() - 2 * HOUR));
    await report(db.sql, victim.id, "etl", "success", new Date(now.getTime() - HOUR));
    await withService(db.sql, async (tx) => {
      const [window] = await tx<{ id: string }[]>`
        insert into maintenance_windows (workspace_id, title, starts_at, ends_at)
        values (${planner.id}, 'Planner''s window', ${new Date(now.getTime() - 3 * HOUR)}, ${new Date(now.getTime() + 3 * HOUR)})
        returning id`;
      await tx`update alerts set status = 'held', maintenance_window_id = ${window!.id}, held_until = ${new Date(now.getTime() + 3 * HOUR)}
               where workspace_id = ${victim.id} and kind = 'failure'`;
      await tx`update alerts set status = 'suppressed' where workspace_id = ${victim.id} and kind = 'recovery'`;
    });

    await migrate(db.sql);
    expect(await statusesOf(db.sql, victim.id)).toEqual([
      { kind: "failure", status: "pending" },
      { kind: "recovery", status: "pending" },
    ]);
    await deliverPendingAlerts(db.sql, { now });
    expect(slack.messages.map((message) => message.text)).toEqual([":rotating_light: etl failed", ":white_check_mark: etl recovered"]);
  });
});
