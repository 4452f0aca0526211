import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { executeRunInline } from "@/server/execution/run-loop";
import { createJob } from "@/server/jobs/definition-service";
import { jobFormSchema, jobValues } from "@/server/jobs/definition";
import { deleteHttpSecret, listHttpSecretNames, setHttpSecret } from "@/server/secrets/http-secrets";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, outcome, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { startTargetServer } from "../support/target-server";

let db: TestDatabase;
let target: Awaited<ReturnType<typeof startTargetServer>>;
let workspaceId: string;
let admin: TestUser;
let operator: TestUser;
const seenAuthorization: string[] = [];
const TOKEN = "tok_live_7Hq2xR9mZ3";

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await seedUser(db.sql, "admin");
  operator = await seedUser(db.sql, "operator");
  workspaceId = (await seedWorkspace(db.sql, admin, "Secrets")).id;
  await addMember(db.sql, workspaceId, operator, "operator");
  target = await startTargetServer({
    // Echoes the header back, as a careless API might: the run's log must not keep it.
    "/echo": (req: IncomingMessage, res) => {
      seenAuthorization.push(String(req.headers.authorization));
      res.writeHead(500).end(`rejected ${String(req.headers.authorization)}`);
    },
  });
});

afterAll(async () => {
  await target?.close();
  await db?.close();
});

const actor = (user: TestUser) => ({ userId: user.id, email: user.email });
/** The target server's host:port: where the secrets in this file may be sent. */
const targetHost = () => new URL(target.url).host;

async function httpJob(headers: string): Promise<string> {
  const form = jobFormSchema.parse({
    jobKey: `job-${Math.random().toString(36).slice(2, 10)}`,
    title: "Partner API export",
    kind: "http",
    httpUrl: `${target.url}/echo`,
    httpHeaders: headers,
  });
  return asUser(db.sql, admin, (tx) => createJob(tx, { workspaceId, values: jobValues(form), slack: {}, actor: actor(admin) }));
}

async function runOnce(jobId: string) {
  const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, trigger) values (${workspaceId}, ${jobId}, 'manual') returning id`);
  await executeRunInline(db.sql, run!.id, { wait: async () => {} });
  const [row] = await db.sql<{ status: string; message: string; log: string | null; stderr_tail: string | null }[]>`
    select status, message, log, stderr_tail from runs where id = ${run!.id}`;
  return row!;
}

describe("HTTP secrets in job headers", () => {
  it("sends the secret's value in the header and keeps it out of the run, the job and the audit log", async () => {
    await asUser(db.sql, admin, (tx) => setHttpSecret(tx, { workspaceId, name: "PARTNER_TOKEN", value: TOKEN, allowedHosts: [targetHost()], actor: actor(admin) }));
    const jobId = await httpJob('{"Authorization": "Bearer {{secrets.PARTNER_TOKEN}}"}');
    const run = await runOnce(jobId);

    expect(seenAuthorization).toEqual([`Bearer ${TOKEN}`]);
    expect(run.status).toBe("failed");
    expect(run.stderr_tail).toBe("rejected Bearer [secret PARTNER_TOKEN]");
    expect(JSON.stringify(run)).not.toContain(TOKEN);
    const stored = await db.sql`select http_target from jobs where id = ${jobId}`;
    expect(JSON.stringify(stored)).toContain("{{secrets.PARTNER_TOKEN}}");
    const audit = await db.sql`select action, target_id, detail from audit_log where workspace_id = ${workspaceId} and action like 'http_secret.%'`;
    expect(audit.map((entry) => entry.action)).toEqual(["http_secret.created"]);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
  });

  it("fails a run whose secret was deleted, naming the header and the secret, without calling the target", async () => {
    await asUser(db.sql, admin, (tx) => setHttpSecret(tx, { workspaceId, name: "SHORT_LIVED", value: "abcdefgh", allowedHosts: [targetHost()], actor: actor(admin) }));
    const jobId = await httpJob('{"X-Api-Key": "{{secrets.SHORT_LIVED}}"}');
    await asUser(db.sql, admin, (tx) => deleteHttpSecret(tx, { workspaceId, name: "SHORT_LIVED", actor: actor(admin) }));
    const calls = seenAuthorization.length;
    const run = await runOnce(jobId);
    expect(run).toMatchObject({
      status: "failed",
      message: "Header X-Api-Key uses the secret SHORT_LIVED, which is not set in this workspace (Settings → HTTP secrets)",
    });
    expect(seenAuthorization).toHaveLength(calls);
  });

  it("replaces a secret's value in place, audited as a replacement", async () => {
    await asUser(db.sql, admin, (tx) => setHttpSecret(tx, { workspaceId, name: "ROTATED", value: "first-value", allowedHosts: [targetHost()], actor: actor(admin) }));
    await asUser(db.sql, admin, (tx) => setHttpSecret(tx, { workspaceId, name: "ROTATED", value: "second-value", allowedHosts: [targetHost()], actor: actor(admin) }));
    const [row] = await db.sql`select value from workspace_http_secrets where workspace_id = ${workspaceId} and name = 'ROTATED'`;
    expect(row!.value).toBe("second-value");
    const actions = await db.sql`select action from audit_log where target_id = 'ROTATED' order by created_at, id`;
    expect(actions.map((entry) => entry.action)).toEqual(["http_secret.created", "http_secret.replaced"]);
  });

  it("refuses to save a job that refers to a secret the workspace does not have", async () => {
    await expect(httpJob('{"Authorization": "Bearer {{secrets.NOPE}}"}')).rejects.toMatchObject({
      field: "httpHeaders",
      message: "No HTTP secret named NOPE in this workspace: add it under Settings first.",
    });
  });

  it("lets admins list names but nobody signed in read a value, and refuses operators", async () => {
    const names = await asUser(db.sql, admin, (tx) => listHttpSecretNames(tx, workspaceId));
    expect(names.map((secret) => secret.name)).toContain("PARTNER_TOKEN");
    const readValue = await asUser(db.sql, admin, (tx) => outcome(tx, (sp) => sp`select value from workspace_http_secrets`));
    expect(readValue).toBe("42501");
    await expect(
      asUser(db.sql, operator, (tx) => setHttpSecret(tx, { workspaceId, name: "SNEAKY", value: "x1234", allowedHosts: [targetHost()], actor: actor(operator) })),
    ).rejects.toThrow("Only admins can manage HTTP secrets.");
    expect(await asUser(db.sql, operator, (tx) => listHttpSecretNames(tx, workspaceId))).toEqual([]);
  });
});
