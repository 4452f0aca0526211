import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { tickInProcess } from "@/server/schedule/in-process";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedUser, seedWorkspace } from "../support/fixtures";
import { startTargetServer } from "../support/target-server";

// The local default without Inngest: the server ticks the schedule itself. Same tick, same
// executor and Slack messages as the Inngest functions, wired in-process.
let db: TestDatabase;
let target: Awaited<ReturnType<typeof startTargetServer>>;
let workspaceId: string;
const slack: Array<{ text: string }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  target = await startTargetServer({
    "/export": (_req, res) => res.writeHead(200).end("exported"),
    "/slack": (_req, res, body) => {
      slack.push(JSON.parse(body) as { text: string });
      res.writeHead(200).end("ok");
    },
  });
  const owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "In-process")).id;
  await withService(db.sql, (tx) => tx`
    insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspaceId}, ${`${target.url}/slack`})`);
});

afterAll(async () => {
  await target?.close();
  await db?.close();
});

describe("the in-process scheduler", () => {
  it("runs a due http job to success and reports a missed one to Slack, in one tick", async () => {
    const createdAt = new Date(Date.now() - 3 * 3600_000);
    const [due, silent] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, http_target, schedule_period_seconds, grace_seconds, created_at)
      values (${workspaceId}, 'hourly-export', 'Hourly export', 'http', ${tx.json({ method: "POST", url: `${target.url}/export`, headers: {} })}, 3600, 60, ${createdAt}),
             (${workspaceId}, 'hourly-report', 'Hourly report', 'reported', null, 3600, 60, ${createdAt})
      returning id`);

    await tickInProcess(db.sql, new Date());

    await expect
      .poll(async () => (await db.sql<{ status: string }[]>`select status from runs where job_id = ${due!.id}`).map((run) => run.status), { timeout: 10_000 })
      .toEqual(["succeeded"]);
    expect(target.requests.filter((request) => request.path === "/export")).toHaveLength(1);

    const incidents = await db.sql<{ kind: string }[]>`select kind from incidents where job_id = ${silent!.id} and resolved_at is null`;
    expect(incidents.map((incident) => incident.kind)).toEqual(["missed"]);
    expect(slack.map((message) => message.text).join("\n")).toContain("Hourly report");
    // The export succeeded on its first run: nothing to tell Slack about it.
    expect(slack.map((message) => message.text).join("\n")).not.toContain("Hourly export");
  });
});
