import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callIngestReports, type IngestItem } from "@/server/ingest/groups";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedUser, seedWorkspace } from "../support/fixtures";

let db: TestDatabase;
let workspaceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Groups")).id;
});

afterAll(async () => {
  await db?.close();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function item(report: Record<string, unknown>): IngestItem {
  return { auth: { workspace_id: workspaceId }, report: { event: "finish", ...report }, now: new Date().toISOString(), max_reported_jobs: 1000 };
}

async function pointerOf(jobKey: string) {
  const [row] = await db.sql<{ external_id: string | null }[]>`
    select r.external_id from jobs j join runs r on r.id = j.last_run_id
    where j.workspace_id = ${workspaceId} and j.job_key = ${jobKey}`;
  return row?.external_id ?? null;
}

describe("a group of reports in one call", () => {
  it("points each job at its newest run, whatever order the group recorded them in", async () => {
    const outcomes = await callIngestReports(db.sql, [
      item({ job_key: "nightly", run_id: "newest", event: "start", started_at: minutesAgo(1) }),
      item({ job_key: "nightly", run_id: "oldest", status: "success", started_at: minutesAgo(120), finished_at: minutesAgo(110) }),
      item({ job_key: "hourly", run_id: "h-2", status: "success", started_at: minutesAgo(5), finished_at: minutesAgo(4) }),
      item({ job_key: "nightly", run_id: "middle", status: "error", started_at: minutesAgo(60), finished_at: minutesAgo(50) }),
      item({ job_key: "hourly", run_id: "h-1", status: "success", started_at: minutesAgo(65), finished_at: minutesAgo(64) }),
    ]);
    expect(outcomes.every((outcome) => "run_id" in outcome && !outcome.duplicate)).toBe(true);
    expect(outcomes.some((outcome) => "latest" in outcome)).toBe(false);
    expect(await pointerOf("nightly")).toBe("newest");
    expect(await pointerOf("hourly")).toBe("h-2");

    // A late report of an older run, alone in a later group, leaves the pointer where it is; the
    // newest run's own finish keeps it there.
    await callIngestReports(db.sql, [item({ job_key: "nightly", run_id: "late", status: "success", started_at: minutesAgo(30), finished_at: minutesAgo(29) })]);
    expect(await pointerOf("nightly")).toBe("newest");
    await callIngestReports(db.sql, [item({ job_key: "nightly", run_id: "newest", status: "success", finished_at: new Date().toISOString() })]);
    expect(await pointerOf("nightly")).toBe("newest");
  });

  it("points at the runs of the reports it recorded, not of one it refused", async () => {
    await db.sql`insert into jobs (workspace_id, job_key, title, kind, http_target) values (${workspaceId}, 'run-by-jobboard', 'HTTP', 'http', ${db.sql.json({ url: "https://example.com/", method: "GET" })})`;
    const outcomes = await callIngestReports(db.sql, [
      item({ job_key: "run-by-jobboard", run_id: "refused", status: "success", finished_at: new Date().toISOString() }),
      item({ job_key: "kept", run_id: "kept-1", status: "success", finished_at: new Date().toISOString() }),
    ]);
    expect(outcomes[0]).toMatchObject({ rejected: 409, field: "job_key" });
    expect(outcomes[1]).toMatchObject({ workspace_id: workspaceId, duplicate: false });
    expect(await pointerOf("kept")).toBe("kept-1");
    expect(await pointerOf("run-by-jobboard")).toBeNull();
    const [refused] = await db.sql`select count(*)::int as n from runs where external_id = 'refused'`;
    expect(refused!.n).toBe(0);
  });
});
