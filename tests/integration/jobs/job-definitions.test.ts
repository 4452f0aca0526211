import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFormSchema, jobValues } from "@/server/jobs/definition";
import { createJob, updateJob } from "@/server/jobs/definition-service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

let db: TestDatabase;
let admin: TestUser, operator: TestUser;
let workspaceId: string;

const form = (overrides: Record<string, string> = {}) =>
  jobFormSchema.parse({
    jobKey: "nightly-export",
    title: "Nightly export",
    kind: "http",
    httpMethod: "POST",
    httpUrl: "https://example.test/export",
    httpHeaders: '{"X-Token": "abc"}',
    scheduleType: "cron",
    cron: "0 3 * * *",
    timezone: "Asia/Tokyo",
    graceSeconds: "600",
    timeoutSeconds: "120",
    maxRetries: "2",
    concurrencyPolicy: "forbid",
    enabled: "on",
    notifyPolicy: "failures_and_recoveries",
    paramsSchema: '{"type":"object","properties":{"day":{"type":"string"}},"additionalProperties":false}',
    defaultParams: '{"day":"yesterday"}',
    ...overrides,
  });

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  admin = await seedUser(db.sql, "admin");
  operator = await seedUser(db.sql, "operator");
  workspaceId = (await seedWorkspace(db.sql, owner, "Defs")).id;
  await addMember(db.sql, workspaceId, admin, "admin");
  await addMember(db.sql, workspaceId, operator, "operator");
});

afterAll(async () => {
  await db?.close();
});

describe("job definitions", () => {
  it("names every problem in a bad form", () => {
    const result = jobFormSchema.safeParse({
      jobKey: "has spaces",
      title: "",
      kind: "http",
      scheduleType: "cron",
      cron: "0 25 * * *",
      timezone: "Mars/Olympus",
      maxRetries: "99",
      paramsSchema: '{"type":"object","properties":{"day":{"type":"string"}}}',
      defaultParams: '{"day": 5}',
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((issue) => issue.path.join(".")));
    // Every problem at once, cross-field ones included, so the form can mark them all in one go.
    expect([...fields].sort()).toEqual(["cron", "defaultParams", "httpUrl", "jobKey", "maxRetries", "timezone", "title"]);
    const second = jobFormSchema.safeParse({
      jobKey: "ok",
      title: "Ok",
      kind: "http",
      scheduleType: "cron",
      cron: "0 25 * * *",
      timezone: "UTC",
      paramsSchema: '{"type":"object","properties":{"day":{"type":"string"}}}',
      defaultParams: '{"day": 5}',
    });
    expect(second.error!.issues.map((issue) => issue.path[0]).sort()).toEqual(["cron", "defaultParams", "httpUrl"]);
  });

  it("creates a job as an admin, keeps the Slack webhook apart, and audits without the secret", async () => {
    const jobId = await asUser(db.sql, admin, (tx) =>
      createJob(tx, {
        workspaceId,
        values: jobValues(form()),
        slack: { set: "https://hooks.slack.test/services/T/B/secret-token" },
        actor: { userId: admin.id, email: admin.email },
      }),
    );
    const [job] = await db.sql`
      select kind, http_target, schedule_cron, schedule_timezone, max_retries, concurrency_policy, default_params from jobs where id = ${jobId}`;
    expect(job).toEqual({
      kind: "http",
      http_target: { method: "POST", url: "https://example.test/export", headers: { "X-Token": "abc" } },
      schedule_cron: "0 3 * * *",
      schedule_timezone: "Asia/Tokyo",
      max_retries: 2,
      concurrency_policy: "forbid",
      default_params: { day: "yesterday" },
    });
    const [secret] = await db.sql`select slack_webhook_url from job_secrets where job_id = ${jobId}`;
    expect(secret!.slack_webhook_url).toContain("secret-token");
    const [audit] = await db.sql<{ action: string; detail: Record<string, unknown> }[]>`
      select action, detail from audit_log where target_id = ${jobId}`;
    expect(audit!.action).toBe("job.created");
    expect(audit!.detail.slack_webhook_url).toBe("set");
    expect(JSON.stringify(audit!.detail)).not.toContain("secret-token");
  });

  it("audits an edit with before and after of exactly what changed", async () => {
    const jobId = await asUser(db.sql, admin, (tx) =>
      createJob(tx, { workspaceId, values: jobValues(form({ jobKey: "edit-me" })), slack: {}, actor: { userId: admin.id, email: admin.email } }),
    );
    await asUser(db.sql, admin, (tx) =>
      updateJob(tx, {
        workspaceId,
        jobId,
        values: jobValues(form({ jobKey: "edit-me", cron: "30 4 * * *", maxRetries: "0" })),
        slack: {},
        actor: { userId: admin.id, email: admin.email },
      }),
    );
    const [audit] = await db.sql<{ detail: Record<string, unknown> }[]>`
      select detail from audit_log where target_id = ${jobId} and action = 'job.updated'`;
    expect(audit!.detail).toEqual({ before: { schedule_cron: "0 3 * * *", max_retries: 2 }, after: { schedule_cron: "30 4 * * *", max_retries: 0 } });
  });

  it("refuses an operator, and a second job with the same key", async () => {
    await expect(
      asUser(db.sql, operator, (tx) =>
        createJob(tx, { workspaceId, values: jobValues(form({ jobKey: "operator-made" })), slack: {}, actor: { userId: operator.id, email: operator.email } }),
      ),
    ).rejects.toMatchObject({ code: "forbidden" });
    await asUser(db.sql, admin, (tx) =>
      createJob(tx, { workspaceId, values: jobValues(form({ jobKey: "twice" })), slack: {}, actor: { userId: admin.id, email: admin.email } }),
    );
    await expect(
      asUser(db.sql, admin, (tx) =>
        createJob(tx, { workspaceId, values: jobValues(form({ jobKey: "twice" })), slack: {}, actor: { userId: admin.id, email: admin.email } }),
      ),
    ).rejects.toMatchObject({ code: "conflict", field: "jobKey" });
  });
});
