import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_KINDS, simulate } from "../../../bench/alert-sim/simulate";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedUser, seedWorkspace } from "../support/fixtures";

// bench/alert-sim's day of 100 jobs: the night New York's clocks fall back, in twenty zones,
// through the real ingest and tick on a simulated clock. The full month is `npm run bench:alert-sim`.
let db: TestDatabase;
let workspaceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  workspaceId = (await seedWorkspace(db.sql, await seedUser(db.sql, "owner"), "Alert simulation")).id;
});

afterAll(async () => {
  await db?.close();
});

describe("the alert simulator, one day of 100 jobs", () => {
  it("alerts every failure, timeout, miss and recovery once, none falsely, within a minute of due", async () => {
    const result = await simulate({ sql: db.sql, workspaceId, jobs: 100, days: 1, start: new Date("2026-11-01T00:00:00Z"), seed: 7 });
    // Not vacuous: the day had each kind of trouble to alert on.
    for (const kind of ALERT_KINDS) expect(result.byKind[kind].expected, kind).toBeGreaterThan(0);
    expect(result.examples).toEqual([]);
    expect({ falseAlerts: result.falseAlerts, missedAlerts: result.missedAlerts }).toEqual({ falseAlerts: 0, missedAlerts: 0 });
    expect(result.latencyMs.max).toBeLessThanOrEqual(60_000);
  }, 240_000);
});
