import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { withService } from "@/server/db/transactions";
import { EgressRefused, guardedRequest, parseEgressAllow } from "@/server/egress";
import { executeRunInline } from "@/server/execution/run-loop";
import { effectiveTimeoutSeconds } from "@/server/jobs/http-target";
import { createJob } from "@/server/jobs/definition-service";
import { jobFormSchema, jobValues } from "@/server/jobs/definition";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { settleRunEnd } from "@/server/incidents/run-end";
import { dispatchInline } from "@/server/runs/dispatch";
import { setHttpSecret } from "@/server/secrets/http-secrets";
import { slackWebhookSchema } from "@/server/settings/schemas";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { asUser, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { waitFor } from "../integration/support/wait";

// Every outbound call goes through one guard. Each test aims a request where a tenant must not
// reach (this machine, metadata, another host holding a secret) and shows it refused; the only
// servers contacted are the loopback ones this file starts.
let db: TestDatabase;
let workspaceId: string;
let admin: TestUser;
let server: Server;
let origin: string;
const hits: string[] = [];
let releaseHang: Array<() => void> = [];

function allowLoopback(allow: boolean) {
  process.env.JOBBOARD_EGRESS_ALLOW = allow ? "127.0.0.1" : "";
  resetEnvCache();
}

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await seedUser(db.sql, "admin");
  workspaceId = (await seedWorkspace(db.sql, admin, "Egress")).id;
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/endless") {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "x");
      const pump = () => {
        while (res.write(chunk)) {
          /* keep writing until the socket pushes back */
        }
      };
      res.on("drain", pump);
      pump();
      return;
    }
    if (req.url === "/redirect") return void res.writeHead(302, { location: `${origin}/internal-secret` }).end();
    if (req.url === "/hang") return void releaseHang.push(() => res.writeHead(200).end("done"));
    res.writeHead(200, { "content-type": "text/plain" }).end(`seen ${req.headers.authorization ?? ""}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const release of releaseHang) release();
  releaseHang = [];
  delete process.env.JOBBOARD_EGRESS_ALLOW;
  delete process.env.JOBBOARD_INLINE_RUNS_PER_WORKSPACE;
  resetEnvCache();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await db?.close();
});

const actor = () => ({ userId: admin.id, email: admin.email });

async function httpJob(url: string, extra: Record<string, string> = {}): Promise<string> {
  const form = jobFormSchema.parse({ jobKey: `job-${Math.random().toString(36).slice(2, 10)}`, title: "Export", kind: "http", httpUrl: url, httpMethod: "GET", ...extra });
  return asUser(db.sql, admin, (tx) => createJob(tx, { workspaceId, values: jobValues(form), slack: {}, actor: actor() }));
}

async function queue(jobId: string): Promise<string> {
  const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, trigger) values (${workspaceId}, ${jobId}, 'manual') returning id`);
  return run!.id;
}

/**
 * The run's alert once a delivery has dealt with it. The notifier an earlier test woke in this
 * process may claim it before this delivery does; then it is that one's to finish.
 */
async function deliveredAlertOf(runId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await deliverPendingAlerts(db.sql);
    const [alert] = await db.sql<{ status: string; last_error: string }[]>`select status, last_error from alerts where run_id = ${runId}`;
    if (alert?.status !== "pending" || Date.now() > deadline) return alert;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runOnce(jobId: string) {
  const runId = await queue(jobId);
  await executeRunInline(db.sql, runId, { wait: async () => {} });
  const [row] = await db.sql<{ status: string; message: string; log: string | null }[]>`select status, message, log from runs where id = ${runId}`;
  return row!;
}

const policy = (allow = "") => parseEgressAllow(allow);
const request = { method: "GET", maxBodyBytes: 1024, keepTailBytes: 1024 };

describe("the egress guard", () => {
  it("refuses an HTTP job aimed at a service on this machine: nothing reaches it, the run says why", async () => {
    allowLoopback(false);
    const before = hits.length;
    const run = await runOnce(await httpJob(`${origin}/admin`));
    expect(run.status).toBe("failed");
    expect(run.message).toMatch(/^Refused to call .*127\.0\.0\.1 is a loopback, private, link-local or reserved address/);
    expect(run.log).toBeNull();
    expect(hits.length).toBe(before);
  });

  it("refuses metadata, private, link-local, CGNAT, ULA, IPv4-mapped and 0.0.0.0 addresses before connecting", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://10.0.0.1/",
      "http://172.16.5.4/",
      "http://192.168.1.1/",
      "http://100.64.0.1/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::1]/",
      "http://0.0.0.0/",
    ]) {
      await expect(guardedRequest(url, request, policy()), url).rejects.toBeInstanceOf(EgressRefused);
    }
  });

  it("refuses a name that resolves to a private address, even beside a public one", async () => {
    const resolver = async () => [{ address: "93.184.216.34", family: 4 }, { address: "127.0.0.1", family: 4 }];
    await expect(guardedRequest("http://rebind.example/", request, policy(), resolver)).rejects.toThrow(/rebind\.example resolves to 127\.0\.0\.1/);
  });

  it("connects to the address it checked: a DNS answer that changes afterwards (a rebind) is never asked for", async () => {
    const answers = [[{ address: "127.0.0.1", family: 4 }], [{ address: "10.0.0.1", family: 4 }]];
    let lookups = 0;
    const resolver = async () => answers[Math.min(lookups++, 1)]!;
    const port = new URL(origin).port;
    const answer = await guardedRequest(`http://rebind.example:${port}/pinned`, request, policy("127.0.0.1"), resolver);
    expect(answer.status).toBe(200);
    expect(lookups).toBe(1);
    expect(hits.at(-1)).toBe("/pinned");
  });

  it("does not follow a redirect to an internal address", async () => {
    allowLoopback(true);
    const before = hits.length;
    const run = await runOnce(await httpJob(`${origin}/redirect`));
    expect(run).toMatchObject({ status: "failed", message: "HTTP 302 Found" });
    expect(hits.slice(before)).toEqual(["/redirect"]);
  });

  it("reads at most 1 MiB of an endless body, keeping its tail, and hangs up", async () => {
    allowLoopback(true);
    const run = await runOnce(await httpJob(`${origin}/endless`));
    expect(run.status).toBe("succeeded");
    expect(run.log).toMatch(/x\n\[… the body went past 1048576 bytes: the rest was not read\]$/);
    expect(Buffer.byteLength(run.log!)).toBeLessThanOrEqual(16 * 1024);
  });

  it("gives an HTTP job a default timeout and a maximum, and refuses a longer one on the form", () => {
    expect(effectiveTimeoutSeconds({ kind: "http", timeout_seconds: null })).toBe(60);
    expect(effectiveTimeoutSeconds({ kind: "http", timeout_seconds: 86_400 })).toBe(300);
    expect(effectiveTimeoutSeconds({ kind: "task", timeout_seconds: null })).toBeNull();
    const form = jobFormSchema.safeParse({ jobKey: "slow", title: "Slow", kind: "http", httpUrl: "https://api.example.com/", timeoutSeconds: "3600" });
    expect(form.success).toBe(false);
    expect(form.error!.issues.find((issue) => issue.path[0] === "timeoutSeconds")!.message).toBe("An HTTP job's timeout is at most 300 seconds");
  });

  it("caps the runs one workspace executes in this process at once; the rest wait and then run", async () => {
    allowLoopback(true);
    process.env.JOBBOARD_INLINE_RUNS_PER_WORKSPACE = "1";
    resetEnvCache();
    const jobId = await httpJob(`${origin}/hang`);
    const [first, second] = [await queue(jobId), await queue(jobId)];
    await dispatchInline(db.sql, { id: first, workspaceId });
    await waitFor("the first run to hold its slot", () => releaseHang.length === 1);
    await dispatchInline(db.sql, { id: second, workspaceId });
    const [waiting] = await db.sql`select status, dispatch_error from runs where id = ${second}`;
    expect(waiting).toMatchObject({ status: "queued", dispatch_error: expect.stringMatching(/^Waiting for a free slot: 1 runs/) });
    releaseHang.shift()!();
    await waitFor("the second run to start once the first ends", () => releaseHang.length === 1);
    releaseHang.shift()!();
    await waitFor("both to succeed", async () => (await db.sql`select 1 from runs where id in ${db.sql([first, second])} and status = 'succeeded'`).length === 2);
  });
});

describe("secrets and Slack go only where they may", () => {
  it("refuses to send a workspace secret to a host it is not allowed to reach, at save and at run time", async () => {
    allowLoopback(true);
    await asUser(db.sql, admin, (tx) =>
      setHttpSecret(tx, { workspaceId, name: "PARTNER_TOKEN", value: "tok_live_1234567890", allowedHosts: ["api.partner.example"], actor: actor() }),
    );
    await expect(httpJob(`${origin}/collect`, { httpHeaders: '{"Authorization": "Bearer {{secrets.PARTNER_TOKEN}}"}' })).rejects.toThrow(
      `The secret PARTNER_TOKEN may not be sent to ${new URL(origin).host}`,
    );
    // A job saved while the host was allowed, then the secret narrowed: the run refuses before calling.
    await asUser(db.sql, admin, (tx) =>
      setHttpSecret(tx, { workspaceId, name: "PARTNER_TOKEN", value: "tok_live_1234567890", allowedHosts: [new URL(origin).host], actor: actor() }),
    );
    const jobId = await httpJob(`${origin}/collect`, { httpHeaders: '{"Authorization": "Bearer {{secrets.PARTNER_TOKEN}}"}' });
    await asUser(db.sql, admin, (tx) =>
      setHttpSecret(tx, { workspaceId, name: "PARTNER_TOKEN", value: "tok_live_1234567890", allowedHosts: ["api.partner.example"], actor: actor() }),
    );
    const before = hits.length;
    const run = await runOnce(jobId);
    expect(run).toMatchObject({ status: "failed", message: `The secret PARTNER_TOKEN may be sent only to api.partner.example; this job calls ${new URL(origin).host}` });
    expect(hits.length).toBe(before);
  });

  it("takes only Slack's own webhook host, unless the operator allowed another", () => {
    allowLoopback(false);
    const refused = (url: string) => slackWebhookSchema.safeParse({ slackWebhookUrl: url }).error?.issues[0]?.message;
    expect(refused("https://hooks.slack.com/services/T0/B0/abc")).toBeUndefined();
    expect(refused("https://hooks.slack.com.evil.example/services/x")).toMatch(/^Slack webhook URLs start with https:\/\/hooks\.slack\.com\//);
    expect(refused(`${origin}/hook`)).toBe("Slack webhook URLs start with https://");
    allowLoopback(true);
    expect(refused(`${origin}/hook`)).toBeUndefined();
  });

  it("does not deliver an alert to a webhook on an internal address, and gives up on it at once", async () => {
    allowLoopback(false);
    const jobId = await httpJob("https://api.example.com/never-called");
    const runId = await queue(jobId);
    await withService(db.sql, async (tx) => {
      await tx`insert into job_secrets (workspace_id, job_id, slack_webhook_url) values (${workspaceId}, ${jobId}, ${`${origin}/slack`})`;
      await tx`update runs set status = 'failed', finished_at = now() where id = ${runId}`;
      await settleRunEnd(tx, runId);
    });
    const before = hits.length;
    const alert = await deliveredAlertOf(runId);
    expect(alert!.status).toBe("failed");
    expect(alert!.last_error).toMatch(/Slack webhook URLs start with https:\/\/hooks\.slack\.com\//);
    expect(hits.length).toBe(before);
  });

  it("masks literal header values in the audit log every member reads, keeping secret references", async () => {
    allowLoopback(true);
    await asUser(db.sql, admin, (tx) =>
      setHttpSecret(tx, { workspaceId, name: "PARTNER_TOKEN", value: "tok_live_1234567890", allowedHosts: [new URL(origin).host], actor: actor() }),
    );
    const jobId = await httpJob(`${origin}/ok`, { httpHeaders: '{"X-Api-Key": "literal-key-0123456789", "Authorization": "Bearer {{secrets.PARTNER_TOKEN}}"}' });
    const [entry] = await db.sql<{ detail: { after: { http_target: { headers: Record<string, string> } } } }[]>`
      select detail from audit_log where target_id = ${jobId} and action = 'job.created'`;
    expect(entry!.detail.after.http_target.headers).toEqual({ "X-Api-Key": "••••", Authorization: "Bearer {{secrets.PARTNER_TOKEN}}" });
    expect(JSON.stringify(entry)).not.toContain("literal-key-0123456789");
  });
});
