import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor, type Page } from "@/server/db/page";
import { withService } from "@/server/db/transactions";
import { getJob, listJobOptions, listJobs, type JobFilters, type JobRow } from "@/server/jobs/queries";
import { jobListQuerySchema } from "@/server/jobs/schemas";
import { listOpenIncidents } from "@/server/incidents/queries";
import { runListQuerySchema } from "@/server/runs/list-query";
import { findJobByKeyOrId, listRuns, type RunListItem } from "@/server/runs/queries";
import { getJobStats, getOverviewStats, getRunsByDay } from "@/server/stats/queries";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

let db: TestDatabase;
let owner: TestUser;
let viewer: TestUser;
let workspaceId: string;

const NOW = new Date("2026-11-23T03:00:00Z");
const HOUR = 3_600_000;

type RunSpec = { status: string; finishedHoursAgo: number; durationMs: number };

async function jobWithRuns(key: string, runs: RunSpec[], options: { paused?: boolean } = {}): Promise<string> {
  return withService(db.sql, async (tx) => {
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, paused) values (${workspaceId}, ${key}, ${key}, ${options.paused ?? false})
      returning id`;
    let last: string | null = null;
    for (const run of runs) {
      const finishedAt = new Date(NOW.getTime() - run.finishedHoursAgo * HOUR);
      const startedAt = new Date(finishedAt.getTime() - run.durationMs);
      const isFinished = !["running", "queued"].includes(run.status);
      const [row] = await tx<{ id: string }[]>`
        insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at, duration_ms)
        values (${workspaceId}, ${job!.id}, ${run.status}, 'report', ${startedAt}, ${startedAt},
                ${isFinished ? finishedAt : null}, ${isFinished ? run.durationMs : null})
        returning id`;
      last = row!.id;
    }
    await tx`update jobs set last_run_id = ${last} where id = ${job!.id}`;
    return job!.id;
  });
}

/**
 * Every page of a list, each cursor carried through the query string as its page carries it.
 * Also checks that only the last page lacks a next cursor, and that no page but the first is empty.
 */
async function walk<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read(cursor);
    if (pages > 0) expect(page.items.length).toBeGreaterThan(0);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 100);
  return { items, pages };
}

const walkJobs = (filters: Omit<JobFilters, "after" | "workspaceId">) =>
  walk<JobRow>((cursor) => {
    const { after } = jobListQuerySchema.parse({ after: cursor, sort: filters.sort });
    if (cursor) expect(after).toBeDefined();
    return asUser(db.sql, viewer, (tx) => listJobs(tx, { workspaceId, ...filters, after }));
  });

const walkRuns = (jobId: string, limit: number) =>
  walk<RunListItem>((cursor) => {
    const { before } = runListQuerySchema.parse({ before: cursor });
    if (cursor) expect(before).toBeDefined();
    return asUser(db.sql, viewer, (tx) => listRuns(tx, { workspaceId, jobId, after: before, limit }));
  });

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  viewer = await seedUser(db.sql, "viewer");
  workspaceId = (await seedWorkspace(db.sql, owner, "Stats")).id;
  await addMember(db.sql, workspaceId, viewer, "viewer");
});

afterAll(async () => {
  await db?.close();
});

describe("overview statistics", () => {
  it("computes success rate, average and p95 over the last 24 h and the 24 h before, as a viewer sees them", async () => {
    await jobWithRuns("stats-a", [
      // The day before: one success, one failure.
      { status: "succeeded", finishedHoursAgo: 30, durationMs: 1000 },
      { status: "failed", finishedHoursAgo: 26, durationMs: 3000 },
      // The last 24 h: 1 s … 10 s, one timed out, one canceled (which does not count toward the rate).
      ...Array.from({ length: 8 }, (_, i) => ({ status: "succeeded", finishedHoursAgo: 20 - i, durationMs: (i + 1) * 1000 })),
      { status: "timed_out", finishedHoursAgo: 5, durationMs: 9000 },
      { status: "canceled", finishedHoursAgo: 4, durationMs: 10_000 },
      // Exactly 24 h ago belongs to the current window; a minute more does not.
      { status: "succeeded", finishedHoursAgo: 24, durationMs: 500 },
      { status: "failed", finishedHoursAgo: 24 + 1 / 60, durationMs: 700 },
    ]);
    const stats = await asUser(db.sql, viewer, (tx) => getOverviewStats(tx, { workspaceId, now: NOW }));

    expect(stats.current).toMatchObject({ finished: 11, succeeded: 9, failed: 1 });
    expect(stats.current.success_rate).toBeCloseTo(9 / 10, 10);
    const durations = [500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000];
    expect(stats.current.avg_duration_ms).toBeCloseTo(durations.reduce((a, b) => a + b) / durations.length, 6);
    // percentile_cont(0.95) over 11 values is 9500 (position 9.5 between 9000 and 10000); the
    // rollups' histogram estimates it within 9 %.
    expect(Math.abs(stats.current.p95_duration_ms! - 9500) / 9500).toBeLessThan(0.09);

    expect(stats.previous).toMatchObject({ finished: 3, succeeded: 1, failed: 2 });
    expect(stats.previous.success_rate).toBeCloseTo(1 / 3, 10);
  });

  it("keeps the hourly rollups right when a run's outcome changes after it was counted", async () => {
    const jobId = await jobWithRuns("stats-rollup", [{ status: "succeeded", finishedHoursAgo: 2, durationMs: 4000 }]);
    const before = await getOverviewStats(db.sql, { workspaceId, now: NOW });
    await withService(db.sql, (tx) => tx`update runs set status = 'failed', duration_ms = 8000 where job_id = ${jobId}`);
    const after = await getOverviewStats(db.sql, { workspaceId, now: NOW });
    expect(after.current).toMatchObject({ finished: before.current.finished, succeeded: before.current.succeeded - 1, failed: before.current.failed + 1 });
    expect(after.current.avg_duration_ms! * after.current.finished).toBeCloseTo(before.current.avg_duration_ms! * before.current.finished + 4000, 6);
    const [row] = await db.sql<{ finished: number; failed: number; with_duration: number }[]>`
      select finished, failed, with_duration from run_stats_hourly where job_id = ${jobId}`;
    expect(row).toEqual({ finished: 1, failed: 1, with_duration: 1 });
    // What the trigger kept row by row is what a recount from the runs gives.
    await db.sql`select private.rebuild_run_stats()`;
    expect(await getOverviewStats(db.sql, { workspaceId, now: NOW })).toEqual(after);
  });

  it("counts a run in the rollups once, when it finishes, and not while it is queued or running", async () => {
    const jobId = await jobWithRuns("stats-rollup-live", [{ status: "queued", finishedHoursAgo: 3, durationMs: 2000 }]);
    const counted = () => db.sql<{ finished: number; succeeded: number }[]>`
      select finished, succeeded from run_stats_hourly where job_id = ${jobId}`;
    expect(await counted()).toEqual([]);
    await withService(db.sql, (tx) => tx`update runs set status = 'running' where job_id = ${jobId}`);
    expect(await counted()).toEqual([]);
    const finishedAt = new Date(NOW.getTime() - 3 * HOUR);
    await withService(db.sql, (tx) => tx`
      update runs set status = 'succeeded', finished_at = ${finishedAt}, duration_ms = 2000 where job_id = ${jobId}`);
    // A later write that leaves the outcome alone (a log line, a message) counts nothing again.
    await withService(db.sql, (tx) => tx`update runs set status = 'succeeded', message = 'done' where job_id = ${jobId}`);
    expect(await counted()).toEqual([{ finished: 1, succeeded: 1 }]);
  });

  it("answers nulls, not zeros or NaN, for a window without runs", async () => {
    const empty = await asUser(db.sql, viewer, (tx) => getOverviewStats(tx, { workspaceId, now: new Date("2020-01-01T00:00:00Z") }));
    expect(empty.current).toEqual({ finished: 0, succeeded: 0, failed: 0, success_rate: null, avg_duration_ms: null, p95_duration_ms: null });
  });

  it("shows another workspace's runs to nobody", async () => {
    const stranger = await seedUser(db.sql, "stranger");
    const stats = await asUser(db.sql, stranger, (tx) => getOverviewStats(tx, { workspaceId, now: NOW }));
    expect(stats.current.finished).toBe(0);
  });
});

describe("runs by day", () => {
  it("counts runs on the workspace's calendar day, so 23:30 UTC is the next day in Tokyo", async () => {
    const jobId = await withService(db.sql, async (tx) => {
      const [job] = await tx<{ id: string }[]>`insert into jobs (workspace_id, job_key, title) values (${workspaceId}, 'tz', 'tz') returning id`;
      for (const [at, status] of [
        ["2026-11-21T23:30:00Z", "succeeded"], // 22 Nov 08:30 in Tokyo, 21 Nov 18:30 in New York
        ["2026-11-22T14:59:00Z", "failed"], // 22 Nov 23:59 in Tokyo
        ["2026-11-22T15:00:00Z", "succeeded"], // 23 Nov 00:00 in Tokyo
      ] as const) {
        await tx`insert into runs (workspace_id, job_id, status, trigger, queued_at) values (${workspaceId}, ${job!.id}, ${status}, 'report', ${at})`;
      }
      return job!.id;
    });
    const tokyo = await asUser(db.sql, owner, (tx) => getRunsByDay(tx, { workspaceId, jobId, timezone: "Asia/Tokyo", days: 3, now: NOW }));
    expect(tokyo).toEqual([
      { day: "2026-11-21", succeeded: 0, failed: 0, other: 0 },
      { day: "2026-11-22", succeeded: 1, failed: 1, other: 0 },
      { day: "2026-11-23", succeeded: 1, failed: 0, other: 0 },
    ]);
    const newYork = await asUser(db.sql, owner, (tx) =>
      getRunsByDay(tx, { workspaceId, jobId, timezone: "America/New_York", days: 3, now: NOW }),
    );
    expect(newYork).toEqual([
      { day: "2026-11-20", succeeded: 0, failed: 0, other: 0 },
      { day: "2026-11-21", succeeded: 1, failed: 0, other: 0 },
      { day: "2026-11-22", succeeded: 1, failed: 1, other: 0 },
    ]);
  });
});

describe("job statistics and health", () => {
  it("derives health from the latest run, the open incident and the pause switch", async () => {
    const healthy = await jobWithRuns("h-healthy", [{ status: "failed", finishedHoursAgo: 3, durationMs: 10 }, { status: "succeeded", finishedHoursAgo: 1, durationMs: 10 }]);
    const failing = await jobWithRuns("h-failing", [{ status: "failed", finishedHoursAgo: 1, durationMs: 10 }]);
    const running = await jobWithRuns("h-running", [{ status: "running", finishedHoursAgo: 0, durationMs: 10 }]);
    const paused = await jobWithRuns("h-paused", [{ status: "failed", finishedHoursAgo: 1, durationMs: 10 }], { paused: true });
    const fresh = await jobWithRuns("h-new", []);
    const missed = await jobWithRuns("h-missed", [{ status: "succeeded", finishedHoursAgo: 9, durationMs: 10 }]);
    await withService(db.sql, (tx) => tx`insert into incidents (workspace_id, job_id, kind) values (${workspaceId}, ${missed}, 'missed')`);

    const health = async (jobId: string) => (await asUser(db.sql, viewer, (tx) => getJob(tx, { workspaceId, jobId })))!.health;
    expect(await health(healthy)).toBe("healthy");
    expect(await health(failing)).toBe("failing");
    expect(await health(running)).toBe("running");
    expect(await health(paused)).toBe("paused");
    expect(await health(fresh)).toBe("new");
    expect(await health(missed)).toBe("missed");

    const onlyFailing = await asUser(db.sql, viewer, (tx) => listJobs(tx, { workspaceId, health: "failing", search: "h-" }));
    expect(onlyFailing).toEqual({ items: [expect.objectContaining({ job_key: "h-failing" })], nextCursor: null });
    const { items: [withSparkline] } = await asUser(db.sql, viewer, (tx) => listJobs(tx, { workspaceId, search: "h-healthy" }));
    expect(withSparkline!.recent_statuses).toEqual(["succeeded", "failed"]);
  });

  it("pages through jobs by title, equal titles by id, without gaps or repeats, and searches literally", async () => {
    const ids: Record<string, string> = {};
    for (const key of ["page-c", "page-a", "page-e", "page-b", "page-d", "page_%"]) ids[key] = await jobWithRuns(key, []);
    // Three more jobs titled "page-b": page boundaries fall among the four.
    const twins = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title)
      select ${workspaceId}, 'page-twin-' || n, 'page-b' from generate_series(1, 3) n
      returning id`);
    const titledB = [ids["page-b"]!, ...twins.map((job) => job.id)].sort();
    const { items, pages } = await walkJobs({ search: "page-", limit: 2 });
    expect(items.map((job) => job.id)).toEqual([ids["page-a"], ...titledB, ids["page-c"], ids["page-d"], ids["page-e"]]);
    expect(pages).toBe(4);
    // A full last page has no next one either.
    expect((await walkJobs({ search: "page-", limit: 4 })).pages).toBe(2);
    const literal = await asUser(db.sql, viewer, (tx) => listJobs(tx, { workspaceId, search: "_%" }));
    expect(literal.items.map((job) => job.job_key)).toEqual(["page_%"]);
  });

  it("pages through jobs newest first, equal creation times by id, and reads a cursor of the other sort as the first page", async () => {
    const created = await withService(db.sql, (tx) => tx<{ id: string; job_key: string }[]>`
      insert into jobs (workspace_id, job_key, title, created_at)
      select ${workspaceId}, 'newest-' || n, 'newest ' || n,
             case when n <= 3 then '2031-01-01T00:00:00.000001Z'::timestamptz else '2031-01-01T00:00:00.000002Z'::timestamptz end
      from generate_series(1, 5) n
      returning id, job_key`);
    const expected = [
      ...created.filter((job) => ["newest-4", "newest-5"].includes(job.job_key)).map((job) => job.id).sort().reverse(),
      ...created.filter((job) => ["newest-1", "newest-2", "newest-3"].includes(job.job_key)).map((job) => job.id).sort().reverse(),
    ];
    const { items } = await walkJobs({ search: "newest-", sort: "newest", limit: 2 });
    expect(items.map((job) => job.id)).toEqual(expected);

    const byTitle = encodeCursor(["newest 3", expected[0]!]);
    const { after } = jobListQuerySchema.parse({ after: byTitle, sort: "newest" });
    expect(after).toBeUndefined();
    const first = await asUser(db.sql, viewer, (tx) => listJobs(tx, { workspaceId, search: "newest-", sort: "newest", after, limit: 2 }));
    expect(first.items.map((job) => job.id)).toEqual(expected.slice(0, 2));
  });

  it("computes a job's success rate and p95 since a date", async () => {
    const jobId = await jobWithRuns("job-stats", [
      { status: "succeeded", finishedHoursAgo: 500, durationMs: 99_000 },
      { status: "succeeded", finishedHoursAgo: 10, durationMs: 1000 },
      { status: "succeeded", finishedHoursAgo: 9, durationMs: 2000 },
      { status: "failed", finishedHoursAgo: 8, durationMs: 3000 },
      { status: "succeeded", finishedHoursAgo: 7, durationMs: 4000 },
    ]);
    const stats = await asUser(db.sql, viewer, (tx) => getJobStats(tx, { workspaceId, jobId, since: new Date(NOW.getTime() - 14 * 24 * HOUR) }));
    expect(stats).toMatchObject({ runs: 4, succeeded: 3, failed: 1 });
    expect(stats.success_rate).toBeCloseTo(0.75, 10);
    expect(stats.avg_duration_ms).toBeCloseTo(2500, 6);
    // Exactly 3850; the rollups' histogram estimates it within 9 %.
    expect(Math.abs(stats.p95_duration_ms! - 3850) / 3850).toBeLessThan(0.09);
  });

  it("pages through a job's runs newest first with a keyset cursor", async () => {
    const jobId = await jobWithRuns("keyset", Array.from({ length: 7 }, (_, i) => ({ status: "succeeded", finishedHoursAgo: 7 - i, durationMs: 1000 })));
    const { items, pages } = await walkRuns(jobId, 3);
    expect(pages).toBe(3);
    const all = await asUser(db.sql, viewer, (tx) => listRuns(tx, { workspaceId, jobId, limit: 100 }));
    expect(all.nextCursor).toBeNull();
    expect(items.map((run) => run.id)).toEqual(all.items.map((run) => run.id));
    expect(items).toHaveLength(7);
    const times = all.items.map((run) => run.queued_at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Seven runs in pages of seven: one page, and no link to an empty one.
    expect(await walkRuns(jobId, 7)).toMatchObject({ pages: 1 });
  });

  it("orders runs queued at the very same instant by id, across a page boundary", async () => {
    const jobId = await jobWithRuns("same-instant", []);
    const runs = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, queued_at)
      select ${workspaceId}, ${jobId}, 'succeeded', 'report', '2026-11-22T11:00:00.000001Z' from generate_series(1, 5)
      returning id`);
    const { items, pages } = await walkRuns(jobId, 2);
    expect(items.map((run) => run.id)).toEqual(runs.map((run) => run.id).sort().reverse());
    expect(pages).toBe(3);
  });

  it("reads a tampered cursor as the first page", async () => {
    const jobId = await jobWithRuns("tampered", Array.from({ length: 3 }, (_, i) => ({ status: "succeeded", finishedHoursAgo: 3 - i, durationMs: 1000 })));
    const first = await asUser(db.sql, viewer, (tx) => listRuns(tx, { workspaceId, jobId, limit: 2 }));
    const tampered = `${first.nextCursor!.slice(0, -2)}x!`;
    for (const cursor of [tampered, "garbage", encodeCursor(["not a time", jobId])]) {
      const { before } = runListQuerySchema.parse({ before: cursor });
      expect(before, cursor).toBeUndefined();
      expect(await asUser(db.sql, viewer, (tx) => listRuns(tx, { workspaceId, jobId, after: before, limit: 2 }))).toEqual(first);
    }
  });

  it("loses no run between pages when runs are queued within the same millisecond", async () => {
    const jobId = await jobWithRuns("same-millisecond", []);
    // Microseconds apart, as PostgreSQL's now() records a burst of reports.
    await db.sql`
      insert into runs (workspace_id, job_id, status, trigger, queued_at)
      select ${workspaceId}, ${jobId}, 'succeeded', 'report', '2026-11-22T10:00:00.123000Z'::timestamptz + make_interval(secs => n / 1000000.0)
      from generate_series(1, 9) n`;
    const { items } = await walkRuns(jobId, 2);
    expect(new Set(items.map((run) => run.id)).size).toBe(9);
    expect(items.at(-1)!.cursor_at).toMatch(/^2026-11-22T10:00:00\.1230\d\dZ$/);
  });

  it("finds a job for the runs filter by its key or its id, and nothing for an unknown one", async () => {
    const jobId = await jobWithRuns("filter-me", []);
    const byKey = await asUser(db.sql, viewer, (tx) => findJobByKeyOrId(tx, workspaceId, "filter-me"));
    const byId = await asUser(db.sql, viewer, (tx) => findJobByKeyOrId(tx, workspaceId, jobId));
    expect(byKey).toEqual({ id: jobId, title: "filter-me", job_key: "filter-me" });
    expect(byId).toEqual(byKey);
    expect(await asUser(db.sql, viewer, (tx) => findJobByKeyOrId(tx, workspaceId, "no-such-job"))).toBeUndefined();
    const options = await asUser(db.sql, viewer, (tx) => listJobOptions(tx, workspaceId, 3));
    expect(options).toHaveLength(3);
    expect(options.map((option) => option.title)).toEqual([...options.map((option) => option.title)].sort());
  });

  it("lists open incidents failing first, then missed, newest first within each, and filters by acknowledgement", async () => {
    // A workspace of its own, so that only these incidents are open in it.
    const own = (await seedWorkspace(db.sql, owner, "Incident order")).id;
    await addMember(db.sql, own, viewer, "viewer");
    // Opened in an order that is not the listing's: kinds interleaved, and the older failure last.
    const opened: [string, string, number, boolean][] = [
      ["missed-old", "missed", 5, false],
      ["failed-new", "failed", 1, false],
      ["timed-out", "timed_out", 0, false],
      ["missed-new", "missed", 2, true],
      ["failed-old", "failed", 4, false],
      ["resolved", "failed", 0, false],
    ];
    await withService(db.sql, async (tx) => {
      for (const [key, kind, hoursAgo, acknowledged] of opened) {
        const [job] = await tx<{ id: string }[]>`insert into jobs (workspace_id, job_key, title) values (${own}, ${key}, ${key}) returning id`;
        const at = new Date(NOW.getTime() - hoursAgo * HOUR);
        await tx`
          insert into incidents (workspace_id, job_id, kind, opened_at, acknowledged_at, resolved_at)
          values (${own}, ${job!.id}, ${kind}, ${at}, ${acknowledged ? at : null}, ${key === "resolved" ? at : null})`;
      }
    });
    const keysOf = async (acknowledged?: "acknowledged" | "unacknowledged") =>
      (await asUser(db.sql, viewer, (tx) => listOpenIncidents(tx, { workspaceId: own, limit: 50, ...(acknowledged ? { acknowledged } : {}) }))).map(
        (incident) => incident.job_key,
      );
    expect(await keysOf()).toEqual(["failed-new", "failed-old", "missed-new", "missed-old", "timed-out"]);
    expect(await keysOf("acknowledged")).toEqual(["missed-new"]);
    expect(await keysOf("unacknowledged")).toEqual(["failed-new", "failed-old", "missed-old", "timed-out"]);
  });
});
