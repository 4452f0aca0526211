import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { getWorkspaceActivity } from "@/server/stats/queries";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

// The overview's charts: runs per hour over 24 hours and per day over 14 days, read from the
// rollups the runs' trigger keeps, in the workspace's zone (Tokyo, nine hours ahead of UTC).
let db: TestDatabase;
let viewer: TestUser;
let workspaceId: string;
let otherWorkspaceId: string;
const NOW = new Date("2026-11-23T03:20:00Z"); // 12:20 in Tokyo

async function finish(workspace: string, status: string, at: string) {
  await withService(db.sql, async (tx) => {
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title) values (${workspace}, ${`activity-${Math.random().toString(36).slice(2)}`}, 'Activity')
      returning id`;
    // Queued, then finished: the rollup counts the finish, as it does for every real run.
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at)
      values (${workspace}, ${job!.id}, 'running', 'report', ${at}, ${at}) returning id`;
    await tx`update runs set status = ${status}, finished_at = ${at}, duration_ms = 1000 where id = ${run!.id}`;
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  viewer = await seedUser(db.sql, "viewer");
  workspaceId = (await seedWorkspace(db.sql, owner, "Activity")).id;
  otherWorkspaceId = (await seedWorkspace(db.sql, owner, "Elsewhere")).id;
  await addMember(db.sql, workspaceId, viewer, "viewer");
  await finish(workspaceId, "succeeded", "2026-11-23T03:05:00Z"); // this hour
  await finish(workspaceId, "failed", "2026-11-23T03:10:00Z");
  await finish(workspaceId, "canceled", "2026-11-23T02:59:00Z"); // the hour before
  await finish(workspaceId, "succeeded", "2026-11-22T14:30:00Z"); // 23:30 on the 22nd in Tokyo
  await finish(workspaceId, "timed_out", "2026-11-22T15:30:00Z"); // 00:30 on the 23rd in Tokyo
  await finish(workspaceId, "succeeded", "2026-11-22T02:00:00Z"); // over 24 hours ago
  await finish(workspaceId, "failed", "2026-11-09T14:59:00Z"); // the 9th in Tokyo: past the 14 days
  await finish(otherWorkspaceId, "failed", "2026-11-23T03:00:00Z");
});

afterAll(async () => {
  await db?.close();
});

describe("the overview's activity", () => {
  it("counts runs per hour over the last 24 hours and per Tokyo day over the last 14, as a viewer reads them", async () => {
    const { hours, days } = await asUser(db.sql, viewer, (tx) => getWorkspaceActivity(tx, { workspaceId, timezone: "Asia/Tokyo", now: NOW }));

    expect(hours).toHaveLength(24);
    expect(hours[0]!.at).toBe("2026-11-22T04:00:00Z");
    expect(hours.at(-1)).toEqual({ at: "2026-11-23T03:00:00Z", succeeded: 1, failed: 1, other: 0 });
    expect(hours.at(-2)).toEqual({ at: "2026-11-23T02:00:00Z", succeeded: 0, failed: 0, other: 1 });
    expect(hours.find((hour) => hour.at === "2026-11-22T14:00:00Z")).toMatchObject({ succeeded: 1 });
    expect(hours.find((hour) => hour.at === "2026-11-22T15:00:00Z")).toMatchObject({ failed: 1 });
    expect(hours.reduce((sum, hour) => sum + hour.succeeded + hour.failed + hour.other, 0)).toBe(5);

    expect(days.map((day) => day.at)).toEqual(Array.from({ length: 14 }, (_, i) => `2026-11-${String(10 + i).padStart(2, "0")}`));
    expect(days.at(-1)).toEqual({ at: "2026-11-23", succeeded: 1, failed: 2, other: 1 });
    // 11:00 and 23:30 on the 22nd in Tokyo; the first is over 24 hours ago, still the same day.
    expect(days.at(-2)).toEqual({ at: "2026-11-22", succeeded: 2, failed: 0, other: 0 });
    expect(days.at(-3)).toEqual({ at: "2026-11-21", succeeded: 0, failed: 0, other: 0 });
    expect(days.reduce((sum, day) => sum + day.failed, 0)).toBe(2);
  });

  it("shows a member nothing of another workspace", async () => {
    const { hours } = await asUser(db.sql, viewer, (tx) => getWorkspaceActivity(tx, { workspaceId: otherWorkspaceId, timezone: "UTC", now: NOW }));
    expect(hours.reduce((sum, hour) => sum + hour.failed, 0)).toBe(0);
  });
});
