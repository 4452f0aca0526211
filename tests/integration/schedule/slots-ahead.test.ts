import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { enqueueDueRuns, refillSlotsAhead } from "@/server/schedule/tick";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedUser, seedWorkspace } from "../support/fixtures";

// A slot worked out ahead is queued by one statement inside the database; every other slot by
// the tick reading the job and working it out. Both must queue the same slots and leave the
// same due times, on every kind of schedule and across both kinds of DST night.

let db: TestDatabase;
let workspaceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Slots ahead")).id;
});

// The tick is not scoped to a workspace: each test leaves no job behind to be due in the next.
afterEach(async () => {
  await withService(db.sql, (tx) => tx`delete from jobs where workspace_id = ${workspaceId}`);
});

afterAll(async () => {
  await db?.close();
});

type Schedule = { cron?: string; timezone?: string; period?: number };

async function createHttpJob(schedule: Schedule, createdAt = "2026-10-01T00:00:00Z"): Promise<string> {
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, http_target, schedule_cron, schedule_timezone,
                      schedule_period_seconds, grace_seconds, created_at, default_params)
    values (${workspaceId}, ${`ahead-${Math.random().toString(36).slice(2, 10)}`}, 'Ahead job', 'http',
            ${tx.json({ method: "GET", url: "http://127.0.0.1:1/never" })},
            ${schedule.cron ?? null}, ${schedule.timezone ?? null}, ${schedule.period ?? null}, 300, ${createdAt},
            ${tx.json({ region: "eu" })})
    returning id`);
  return job!.id;
}

const slotsOf = async (jobId: string) =>
  (await db.sql<{ scheduled_for: Date }[]>`
    select scheduled_for from runs where job_id = ${jobId} and trigger = 'schedule' order by scheduled_for`).map((run) => run.scheduled_for.toISOString());

const dueTimesOf = async (jobId: string) => {
  const [row] = await db.sql<{ slot: string; check: string; counts_from: string | null }[]>`
    select next_slot_at::text as slot, next_check_at::text as check, counts_from::text from schedule_due_times where job_id = ${jobId}`;
  return row!;
};

/** Jobs whose next slot the database will queue on its own at `now`. */
async function workedOutAheadAt(jobIds: string[], now: Date): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from schedule_due_times
    where job_id = any(${jobIds}::uuid[]) and next_slot_at > '-infinity' and next_slot_at <= ${now} and slot_after_at > ${now}`;
  return row!.n;
}

describe("slots worked out ahead", () => {
  it("are queued by the database exactly as the tick queues them itself, across DST nights and a tick that was down", async () => {
    const schedules: Schedule[] = [
      // 02:30 does not happen in Sydney on 4 October 2026; 01:00 and 01:30 happen twice in New York on 1 November.
      { cron: "30 2 * * *", timezone: "Australia/Sydney" },
      { cron: "0 * * * *", timezone: "America/New_York" },
      { cron: "30 1 * * *", timezone: "America/New_York" },
      { cron: "*/20 * * * *", timezone: "Asia/Kolkata" },
      { period: 2700 },
    ];
    const ahead = await Promise.all(schedules.map((schedule) => createHttpJob(schedule)));
    const itself = await Promise.all(schedules.map((schedule) => createHttpJob(schedule)));

    // Ticks every 20 minutes over both nights, with the weeks between them as one long outage.
    const windows = [["2026-10-03T14:00:10Z", "2026-10-04T16:00:10Z"], ["2026-11-01T00:00:10Z", "2026-11-01T09:00:10Z"]];
    let queuedInDatabase = 0;
    for (const [from, to] of windows) {
      for (let t = Date.parse(from!); t <= Date.parse(to!); t += 20 * 60_000) {
        const now = new Date(t);
        queuedInDatabase += await workedOutAheadAt(ahead, now);
        // Two ticks at once, as two servers would: each slot is still queued once.
        await Promise.all([enqueueDueRuns(db.sql, now), enqueueDueRuns(db.sql, now)]);
        await refillSlotsAhead(db.sql, now, 10_000);
        // The other jobs are never worked out ahead, so the tick reads each of them every slot.
        await withService(db.sql, (tx) => tx`
          update schedule_due_times set slot_after_at = null, slot_after_counts_from = null where job_id = any(${itself}::uuid[])`);
      }
    }

    let slots = 0;
    for (const [index, jobId] of ahead.entries()) {
      const queued = await slotsOf(jobId);
      expect(queued).toEqual(await slotsOf(itself[index]!));
      expect(await dueTimesOf(jobId)).toEqual(await dueTimesOf(itself[index]!));
      slots += queued.length;
    }
    expect(await slotsOf(ahead[0]!)).toEqual([
      "2026-10-02T16:30:00.000Z", // caught up at the first tick
      "2026-10-04T15:30:00.000Z", // 02:30 of 4 October never happened: the next is 5 October's, in summer time
      "2026-10-31T15:30:00.000Z", // caught up after the outage
    ]);
    // 1 November's 01:30 once, at its first occurrence (EDT).
    expect(await slotsOf(ahead[2]!)).toEqual(["2026-10-03T05:30:00.000Z", "2026-10-04T05:30:00.000Z", "2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z"]);
    // Every slot but the first of each window (the tick catching up) was queued by the database alone.
    expect(queuedInDatabase).toBe(slots - schedules.length * windows.length);

    const [run] = await db.sql<{ status: string; params: unknown }[]>`
      select status, params from runs where job_id = ${ahead[4]!} and trigger = 'schedule' order by scheduled_for desc limit 1`;
    expect(run).toEqual({ status: "queued", params: { region: "eu" } });
  });

  it("are worked out soonest slot first, as many as the tick's budget leaves", async () => {
    const daily = await createHttpJob({ cron: "0 6 * * *", timezone: "Europe/Berlin" }, "2026-11-05T00:00:00Z");
    const hourly = await createHttpJob({ cron: "15 * * * *", timezone: "UTC" }, "2026-11-05T00:00:00Z");
    const now = new Date("2026-11-06T00:20:00Z");
    await enqueueDueRuns(db.sql, now);
    expect(await refillSlotsAhead(db.sql, now, 0)).toBe(0);
    expect(await refillSlotsAhead(db.sql, now, 1)).toBe(1);
    expect(await workedOutAheadAt([hourly, daily], new Date("2026-11-06T01:15:00Z"))).toBe(1);
    expect(await refillSlotsAhead(db.sql, now, 10)).toBe(1);
    expect(await workedOutAheadAt([hourly, daily], new Date("2026-11-06T05:00:00Z"))).toBe(1);
  });

  it("forgets a slot worked out ahead when the schedule changes, and queues the new schedule's", async () => {
    const jobId = await createHttpJob({ cron: "0 * * * *", timezone: "UTC" }, "2026-11-01T00:00:00Z");
    await enqueueDueRuns(db.sql, new Date("2026-11-02T00:00:10Z"));
    await refillSlotsAhead(db.sql, new Date("2026-11-02T00:00:10Z"), 10_000);
    expect(await workedOutAheadAt([jobId], new Date("2026-11-02T01:00:10Z"))).toBe(1);

    await withService(db.sql, (tx) => tx`update jobs set schedule_cron = '30 * * * *' where id = ${jobId}`);
    expect(await workedOutAheadAt([jobId], new Date("2026-11-02T01:00:10Z"))).toBe(0);
    for (const at of ["2026-11-02T00:30:10Z", "2026-11-02T01:00:10Z", "2026-11-02T01:30:10Z"]) await enqueueDueRuns(db.sql, new Date(at));
    expect(await slotsOf(jobId)).toEqual(["2026-11-02T00:00:00.000Z", "2026-11-02T00:30:00.000Z", "2026-11-02T01:30:00.000Z"]);
  });
});
