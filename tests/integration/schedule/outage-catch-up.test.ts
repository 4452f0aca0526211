import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { ingestReport } from "@/server/ingest/service";
import { reportSchema } from "@/server/ingest/schemas";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { outagesUntil } from "@/server/schedule/heartbeats";
import { runScheduleTick } from "@/server/schedule/tick";
import type { TestDatabase } from "../support/database";
import { slackWorkspace, type SlackStandIn } from "../support/slack";

// Jobboard's own two-hour outage, on the tick's clock: ticks every minute until 08:10, none
// until 10:10, then every minute again. Hourly jobs with 5 minutes' grace fall due at 09:00 and
// 10:00 inside the gap; their scripts spooled their reports and replay them at 10:15.
const MINUTE = 60_000;
const OUTAGE_FROM = new Date("2026-11-20T08:10:00Z");
const OUTAGE_TO = new Date("2026-11-20T10:10:00Z");
/** max(grace 5 min, 10 min) after Jobboard came back. */
const CATCH_UP_ENDS = new Date("2026-11-20T10:20:00Z");

let world: Awaited<ReturnType<typeof slackWorkspace>>;
let db: TestDatabase;
let workspaceId: string;
let slack: SlackStandIn;

beforeAll(async () => {
  world = await slackWorkspace("Outage");
  ({ db, workspaceId, slack } = world);
});

afterAll(() => world?.close());

async function hourlyJob(key: string, createdAt = "2026-11-20T07:30:00Z"): Promise<string> {
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, schedule_cron, schedule_timezone, grace_seconds, created_at)
    values (${workspaceId}, ${key}, ${`Hourly ${key}`}, 'reported', '0 * * * *', 'UTC', 300, ${createdAt})
    returning id`);
  return job!.id;
}

/** What a script reports, with its real times, whenever the report arrives. */
async function report(jobKey: string, startedAt: string, arrivesAt: Date) {
  const finishedAt = new Date(new Date(startedAt).getTime() + 30_000).toISOString();
  await ingestReport(db.sql, {
    workspaceId,
    now: arrivesAt,
    report: reportSchema.parse({ job_key: jobKey, status: "success", started_at: startedAt, finished_at: finishedAt }),
  });
}

/** Ticks every minute from `from` to `to`, both included; answers the misses they found. */
async function tickEveryMinute(from: Date, to: Date) {
  const missed = [];
  for (let at = from.getTime(); at <= to.getTime(); at += MINUTE) {
    missed.push(...(await runScheduleTick(db.sql, new Date(at), async () => {})).missed);
  }
  return missed;
}

async function missedIncidents(jobId: string) {
  return db.sql<{ last_message: string }[]>`select last_message from incidents where job_id = ${jobId} and kind = 'missed'`;
}

async function alertsOf(jobId: string) {
  return db.sql<{ kind: string; detail: Record<string, string> }[]>`select kind, detail from alerts where job_id = ${jobId} order by created_at`;
}

describe("slots that fell due during Jobboard's own outage", () => {
  it("wait for the catch-up: spooled reports settle theirs with no alert, and a slot still missing alerts once, naming the outage", async () => {
    const spooled = await hourlyJob("spooled");
    const silent = await hourlyJob("silent");
    await report("spooled", "2026-11-20T08:00:05Z", new Date("2026-11-20T08:00:40Z"));
    await report("silent", "2026-11-20T08:00:05Z", new Date("2026-11-20T08:00:40Z"));
    expect(await tickEveryMinute(new Date("2026-11-20T08:00:00Z"), OUTAGE_FROM)).toEqual([]);

    // Back after two hours: the first tick and those during the catch-up judge nothing yet.
    expect(await tickEveryMinute(OUTAGE_TO, new Date("2026-11-20T10:14:00Z"))).toEqual([]);
    await report("spooled", "2026-11-20T09:00:05Z", new Date("2026-11-20T10:14:30Z"));
    await report("spooled", "2026-11-20T10:00:05Z", new Date("2026-11-20T10:14:31Z"));
    expect(await tickEveryMinute(new Date("2026-11-20T10:15:00Z"), new Date(CATCH_UP_ENDS.getTime() - MINUTE))).toEqual([]);

    // The catch-up is over: the silent job is missed once, as falling inside the outage.
    const judged = await tickEveryMinute(CATCH_UP_ENDS, new Date("2026-11-20T10:30:00Z"));
    expect(judged.map((missed) => ({ jobId: missed.jobId, dueAt: missed.dueAt, outage: missed.outage }))).toEqual([
      { jobId: silent, dueAt: new Date("2026-11-20T10:00:00Z"), outage: { from: OUTAGE_FROM, to: OUTAGE_TO } },
    ]);
    expect(await missedIncidents(spooled)).toEqual([]);
    expect(await alertsOf(spooled)).toEqual([]);
    expect(await missedIncidents(silent)).toEqual([
      { last_message: "No run since 2026-11-20T10:00:00.000Z (due, plus 5 min grace; Jobboard itself was down from 2026-11-20T08:10:00.000Z to 2026-11-20T10:10:00.000Z)" },
    ]);
    expect(await alertsOf(silent)).toEqual([
      { kind: "missed", detail: { due_at: "2026-11-20T10:00:00.000Z", outage_from: OUTAGE_FROM.toISOString(), outage_to: OUTAGE_TO.toISOString() } },
    ]);

    // Slack hears it once, with the outage's bounds.
    await deliverPendingAlerts(db.sql);
    expect(slack.about("silent").map((message) => message.text)).toEqual([
      ":alarm_clock: Hourly silent missed its run due 2026-11-20T10:00:00.000Z, which fell inside Jobboard's own outage from 2026-11-20T08:10:00.000Z to 2026-11-20T10:10:00.000Z: no report of it arrived after Jobboard came back",
    ]);
    expect(slack.about("spooled")).toEqual([]);
  });

  it("judges a slot outside any outage on time, with no catch-up", async () => {
    const job = await hourlyJob("on-time", "2026-11-22T10:30:00Z");
    // The ticks start at 10:50, after a gap: the 11:00 slot plus grace falls at 11:05, after it, and nothing ran.
    const of = async (from: string, to: string) => (await tickEveryMinute(new Date(from), new Date(to))).filter((missed) => missed.jobId === job);
    expect(await of("2026-11-22T10:50:00Z", "2026-11-22T11:04:00Z")).toEqual([]);
    const missed = await of("2026-11-22T11:05:00Z", "2026-11-22T11:05:00Z");
    expect(missed.map((m) => ({ jobId: m.jobId, outage: m.outage }))).toEqual([{ jobId: job, outage: null }]);
  });

  it("are counted from the end of the tick before: a slow tick that pushed the next one back is no outage", async () => {
    await withService(db.sql, (tx) => tx`
      insert into tick_heartbeats (ticked_at, runner, duration_ms) values ('2026-11-25T10:00:00Z', 'in-process', 150000)`);
    expect(await outagesUntil(db.sql, new Date("2026-11-25T10:03:00Z"))).toEqual([]);
    expect(await outagesUntil(db.sql, new Date("2026-11-25T10:05:00Z"))).toEqual([
      { from: new Date("2026-11-25T10:00:00Z"), to: new Date("2026-11-25T10:05:00Z") },
    ]);
  });
});
