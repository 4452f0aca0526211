import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { queueReminders } from "@/server/incidents/reminders";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import type { TestDatabase } from "../support/database";
import { slackWorkspace, type SlackStandIn } from "../support/slack";

// Reminders on a simulated clock: the tick's step, the outbox, and a real HTTP server for Slack.
const HOUR = 3_600_000;
const OPENED = new Date("2026-11-30T00:00:00Z");
const at = (hours: number) => new Date(OPENED.getTime() + hours * HOUR);

let world: Awaited<ReturnType<typeof slackWorkspace>>;
let db: TestDatabase;
let workspaceId: string;
let slack: SlackStandIn;
let counter = 0;

beforeAll(async () => {
  world = await slackWorkspace("Reminders");
  ({ db, workspaceId, slack } = world);
});

afterAll(() => world?.close());

/** A job with an incident open since OPENED, with `failures` failures in it. */
async function openIncident(p: { reminderHours: number | null; notify?: string; kind?: string; failures?: number }) {
  return withService(db.sql, async (tx) => {
    const key = `reminded-${counter++}`;
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, reminder_hours, notify_policy)
      values (${workspaceId}, ${key}, ${`Nightly ${key}`}, ${p.reminderHours}, ${p.notify ?? "failures_and_recoveries"})
      returning id`;
    const [incident] = await tx<{ id: string }[]>`
      insert into incidents (workspace_id, job_id, kind, opened_at, failure_count, last_message)
      values (${workspaceId}, ${job!.id}, ${p.kind ?? "failed"}, ${OPENED}, ${p.failures ?? 1}, 'pg_dump: connection refused')
      returning id`;
    return { jobId: job!.id, jobKey: key, incidentId: incident!.id };
  });
}

async function reminders(jobId: string): Promise<number> {
  const [row] = await db.sql<{ count: number }[]>`select count(*)::int as count from alerts where job_id = ${jobId} and kind = 'reminder'`;
  return row!.count;
}

describe("reminders of open incidents", () => {
  it("recalls an unacknowledged incident once per interval, in Slack, and stops once it is acknowledged or resolved", async () => {
    const every2h = await openIncident({ reminderHours: 2, failures: 4 });
    const off = await openIncident({ reminderHours: null });
    const silent = await openIncident({ reminderHours: 1, notify: "never" });

    await queueReminders(db.sql, at(1.5));
    expect(await reminders(every2h.jobId)).toBe(0);
    await queueReminders(db.sql, at(2));
    // A second tick, or a second server, at the same moment writes nothing more.
    await queueReminders(db.sql, at(2));
    expect(await reminders(every2h.jobId)).toBe(1);
    await queueReminders(db.sql, at(3.9));
    expect(await reminders(every2h.jobId)).toBe(1);
    await queueReminders(db.sql, at(4));
    expect(await reminders(every2h.jobId)).toBe(2);

    await deliverPendingAlerts(db.sql);
    const about = slack.about(every2h.jobKey);
    expect(about).toHaveLength(2);
    expect(about[0]!.text).toBe(
      `:bell: Nightly ${every2h.jobKey} is still failing: open since ${OPENED.toISOString()}, 4 failures, not acknowledged`,
    );
    expect(JSON.stringify(about[0])).toContain("pg_dump: connection refused");

    await withService(db.sql, (tx) => tx`update incidents set acknowledged_at = ${at(5)} where id = ${every2h.incidentId}`);
    await queueReminders(db.sql, at(8));
    expect(await reminders(every2h.jobId)).toBe(2);
    // Off by default, and never for a job that notifies never.
    expect(await reminders(off.jobId)).toBe(0);
    expect(await reminders(silent.jobId)).toBe(0);
  });

  it("says what kind of incident is still open, and forgets a resolved one", async () => {
    const missed = await openIncident({ reminderHours: 1, kind: "missed" });
    await queueReminders(db.sql, at(1));
    await deliverPendingAlerts(db.sql);
    const [message] = slack.about(missed.jobKey);
    expect(message!.text).toContain("is still missing its runs");

    await withService(db.sql, (tx) => tx`update incidents set resolved_at = ${at(1.5)} where id = ${missed.incidentId}`);
    await queueReminders(db.sql, at(3));
    expect(await reminders(missed.jobId)).toBe(1);
  });
});
