import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedUser, seedWorkspace } from "../integration/support/fixtures";
import { waitFor } from "../integration/support/wait";
import { startApp, type AppServer } from "./support/app-server";
import { startSlackStandIn } from "./support/slack";

// Reported jobs alert through the production wiring: the route of the built app, the outbox
// written in the report's transaction, and the notifier the server starts. Nothing is injected.
const WEBHOOK_SECRET = "seed-003-shared-secret-0123456789";

let db: TestDatabase;
let app: AppServer;
let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
let workspace: { id: string; slug: string };

const appEnv = () => ({ JOBBOARD_WEBHOOK_SECRET: WEBHOOK_SECRET, JOBBOARD_DEFAULT_WORKSPACE: workspace.slug });

beforeAll(async () => {
  db = await createTestDatabase();
  slack = await startSlackStandIn();
  const owner = await seedUser(db.sql, "owner");
  workspace = await seedWorkspace(db.sql, owner, "Alerts");
  await withService(db.sql, (tx) => tx`
    insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspace.id}, ${slack.webhookUrl})`);
  app = await startApp({ databaseUrl: db.url, env: appEnv() });
});

afterAll(async () => {
  await app?.stop();
  await slack?.down();
  await db?.close();
});

let counter = 0;
const newKey = () => `seed-003-${Date.now()}-${counter++}`;

/** Seed 003's exact request: its payload, its header, nothing more. */
async function report(jobKey: string, status: "success" | "error", extra: Record<string, unknown> = {}) {
  const started = Date.now();
  const response = await fetch(`${app.url}/api/monitor/job-report`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
    body: JSON.stringify({
      job_key: jobKey,
      title: "minpaku-IN レポート作成 <!channel>",
      status,
      finished_at: new Date().toISOString(),
      tool_id: null,
      message: status === "error" ? "KeyError: 'customer_id'" : "処理完了",
      ...extra,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, ms: Date.now() - started };
}

/** Slack's stand-in records a message before it answers, so "sent" is written just after: wait for it. */
async function waitUntilSent(jobKey: string, kinds: string[]) {
  const expected = JSON.stringify(kinds.map((kind) => ({ kind, status: "sent" })));
  await waitFor(`${kinds.join(", ")} marked sent`, async () => JSON.stringify(await alertRows(jobKey)) === expected);
}

async function alertRows(jobKey: string) {
  return db.sql<{ kind: string; status: string }[]>`
    select a.kind, a.status from alerts a join jobs j on j.id = a.job_id where j.job_key = ${jobKey} order by a.created_at`;
}

describe("alerts for reported jobs, through the built app", () => {
  it("posts one message for seed 003's error report, and one recovery for the success after it", async () => {
    const jobKey = newKey();
    expect((await report(jobKey, "error")).status).toBe(200);
    await waitFor("the failure in Slack", () => slack.about(jobKey).length === 1);
    const [failure] = slack.about(jobKey);
    expect(failure!.text).toBe(":rotating_light: minpaku-IN レポート作成 &lt;!channel&gt; failed");
    expect(JSON.stringify(failure)).toContain("KeyError: 'customer_id'");

    expect((await report(jobKey, "success")).status).toBe(200);
    await waitFor("the recovery in Slack", () => slack.about(jobKey).length === 2);
    expect(slack.about(jobKey)[1]!.text).toBe(":white_check_mark: minpaku-IN レポート作成 &lt;!channel&gt; recovered");
    await waitUntilSent(jobKey, ["failure", "recovery"]);
  });

  it("alerts for a pinged job too: a /fail ping posts the failure with the output's last line, a success ping the recovery", async () => {
    const slug = newKey();
    // As a cron line with curl would: the workspace's shared secret as the ping key, the job made by its first ping.
    const ping = (suffix: string, body?: string) =>
      fetch(`${app.url}/ping/${WEBHOOK_SECRET}/${slug}${suffix}`, { method: body === undefined ? "GET" : "POST", body });
    expect((await ping("/start?create=1")).status).toBe(201);
    expect((await ping("/fail", "pg_dump: connection refused\nbackup aborted")).status).toBe(200);
    await waitFor("the pinged failure in Slack", () => slack.about(slug).length === 1);
    const [failure] = slack.about(slug);
    expect(failure!.text).toBe(`:rotating_light: ${slug} failed`);
    expect(JSON.stringify(failure)).toContain("backup aborted");

    expect((await ping("")).status).toBe(200);
    await waitFor("the pinged recovery in Slack", () => slack.about(slug).length === 2);
    expect(slack.about(slug)[1]!.text).toBe(`:white_check_mark: ${slug} recovered`);
    await waitUntilSent(slug, ["failure", "recovery"]);
  });

  it("sends nothing twice for a repeated finish", async () => {
    const jobKey = newKey();
    const runId = `run-${jobKey}`;
    const first = await report(jobKey, "error", { run_id: runId });
    const again = await report(jobKey, "error", { run_id: runId });
    expect([first.status, again.status, again.body.duplicate]).toEqual([200, 200, true]);
    await waitFor("the failure in Slack", () => slack.about(jobKey).length === 1);
    // A second failure in the same incident is not news either.
    await report(jobKey, "error");
    await report(jobKey, "success");
    await waitFor("the recovery in Slack", () => slack.about(jobKey).length === 2);
    expect(slack.about(jobKey).map((message) => message.text.split(" ")[0])).toEqual([":rotating_light:", ":white_check_mark:"]);
    expect((await alertRows(jobKey)).map((row) => row.kind)).toEqual(["failure", "recovery"]);
  });

  it("keeps answering 200 while Slack is down, and sends one 'opened' with the count of 200 failures once it is back", async () => {
    const jobKey = newKey();
    await slack.down();
    const answers = [];
    for (let i = 0; i < 200; i++) answers.push(await report(jobKey, "error"));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(slack.about(jobKey)).toHaveLength(0);
    expect(await alertRows(jobKey)).toEqual([{ kind: "failure", status: "pending" }]);
    const [attempted] = await db.sql<{ attempts: number; last_error: string }[]>`
      select a.attempts, a.last_error from alerts a join jobs j on j.id = a.job_id where j.job_key = ${jobKey}`;
    expect(attempted!.attempts).toBeGreaterThanOrEqual(1);
    expect(attempted!.last_error).toMatch(/ECONNREFUSED/);

    await slack.up();
    await waitFor("the delayed alert", () => slack.about(jobKey).length === 1, 60_000);
    expect(slack.about(jobKey)[0]!.text).toBe(
      ":rotating_light: minpaku-IN レポート作成 &lt;!channel&gt; failed (200 failures in a row so far)",
    );
    await waitUntilSent(jobKey, ["failure"]);
  });

  it("loses no alert when the server dies between the commit and the send", async () => {
    const jobKey = newKey();
    await slack.down();
    expect((await report(jobKey, "error")).status).toBe(200);
    await app.stop("SIGKILL");
    expect(await alertRows(jobKey)).toEqual([{ kind: "failure", status: "pending" }]);

    await slack.up();
    app = await startApp({ databaseUrl: db.url, env: appEnv() });
    // The new process delivers what the dead one left, without another report.
    await waitFor("the alert after the restart", () => slack.about(jobKey).length === 1, 30_000);
    await waitUntilSent(jobKey, ["failure"]);
  });
});
