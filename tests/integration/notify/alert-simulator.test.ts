import { afterEach, describe, expect, it, vi } from "vitest";
import { ALERT_KINDS, meetsGoals, simulate, type SimResult } from "../../../bench/alert-sim/simulate";
import { agentHostDown } from "../../../bench/alert-sim/scenarios/agent-host-down";
import { jobboardOutage } from "../../../bench/alert-sim/scenarios/jobboard-outage";
import { maintenance } from "../../../bench/alert-sim/scenarios/maintenance";
import { month } from "../../../bench/alert-sim/scenarios/month";
import { slackOutage } from "../../../bench/alert-sim/scenarios/slack-outage";
import { springForward } from "../../../bench/alert-sim/scenarios/spring-forward";
import type { Scenario } from "../../../bench/alert-sim/scenario";
import { createTestDatabase, type TestDatabase } from "../support/database";

// bench/alert-sim's scenarios at 100 and 50 jobs: reports through the real ingest, the real tick and
// the real deliverer to a Slack stand-in over HTTP, on a simulated clock. `npm run
// bench:alert-sim` runs them at full size, the month for 30 days.
const size = { jobs: 100, days: 1, seed: 7 };
// A night or a few hours: half the jobs meet each trouble, but for the 30 minutes Slack is down.
const small = { ...size, jobs: 50 };
let db: TestDatabase | undefined;

afterEach(async () => {
  await db?.close();
  db = undefined;
});

/** Each scenario in a database of its own: the tick and the deliverer work on all of one. */
async function run(scenario: Scenario): Promise<SimResult> {
  db = await createTestDatabase();
  return simulate({ sql: db.sql, scenario });
}

function expectClean(result: SimResult) {
  expect(result.examples).toEqual([]);
  expect({ falseAlerts: result.falseAlerts, missedAlerts: result.missedAlerts, undelivered: result.undelivered }).toEqual({ falseAlerts: 0, missedAlerts: 0, undelivered: 0 });
  expect(result.latencyMs.max).toBeLessThanOrEqual(60_000);
  expect(meetsGoals(result)).toBe(true);
}

describe("the alert simulator, small", () => {
  it("alerts every failure, timeout, miss and recovery of a day once, none falsely, within a minute of due: the night New York falls back", async () => {
    const result = await run({ ...month.plan(size), start: new Date("2026-11-01T00:00:00Z") });
    // Not vacuous: the day had each kind of trouble to alert on.
    for (const kind of ALERT_KINDS) expect(result.byKind[kind].expected, kind).toBeGreaterThan(0);
    expectClean(result);
  }, 240_000);

  it("follows a US spring-forward night, daily jobs in the hour it skips included", async () => {
    const result = await run(springForward.plan(small));
    expect(result.byKind.missed.expected).toBeGreaterThan(0);
    expectClean(result);
  }, 240_000);

  it("tells Slack after its 30-minute outage what fell due in it, losing nothing, and the rest on time", async () => {
    // The deliverer warns of each send Slack refuses; the result counts them.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const result = await run(slackOutage.plan(size)).finally(() => warn.mockRestore());
    expect(result.refused).toBeGreaterThan(0);
    expect(result.delayed.told).toBeGreaterThan(0);
    expectClean(result);
  }, 240_000);

  it("holds only the alerts of the workspace in maintenance, though both workspaces' alerts share delivery batches", async () => {
    const result = await run(maintenance.plan(small));
    expect(result.held.told + result.held.dropped).toBeGreaterThan(0);
    expectClean(result);
  }, 240_000);

  it("after Jobboard's own two-hour outage, judges its slots once the spooled reports are replayed: only the slots with no run alert, once, after the catch-up", async () => {
    const result = await run(jobboardOutage.plan(small));
    // Not vacuous: news came late on purpose (replayed reports, slots judged after the catch-up), and some slots had no run.
    expect(result.deferred.told).toBeGreaterThan(0);
    expect(result.byKind.missed.expected).toBeGreaterThan(0);
    expectClean(result);
  }, 240_000);

  it("tells of an agent host with 50 jobs down for an hour once, folds its jobs' lost runs into that, and once that it is back", async () => {
    const result = await run(agentHostDown.plan(small));
    expect(result.byKind.agent_down).toMatchObject({ expected: 1, alerted: 1 });
    expect(result.byKind.agent_back).toMatchObject({ expected: 1, alerted: 1 });
    expect(result.folded.folded).toBeGreaterThan(0);
    expect(result.folded).toMatchObject({ expected: result.folded.folded, unexpected: 0 });
    expectClean(result);
  }, 240_000);
});
