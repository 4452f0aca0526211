import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { handlePing } from "@/server/pings/http";
import { PING_BODY_LIMIT, jobPingUuid } from "@/server/pings/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, outcome, seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";
import { serveHandlers, type TestServer } from "../support/http-server";

// Healthchecks' ping API, served over real HTTP by the same handler as the /ping route.
const WEBHOOK_SECRET = "seed-003-shared-secret-0123456789";

let db: TestDatabase;
let server: TestServer;
let workspace: { id: string; slug: string };
let reportKey: string;
let readKey: string;
let owner: TestUser;
let viewer: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  viewer = await seedUser(db.sql, "viewer");
  workspace = await seedWorkspace(db.sql, owner, "Pings");
  await addMember(db.sql, workspace.id, viewer, "viewer");
  reportKey = (await seedIngestKey(db.sql, workspace.id, "report")).token;
  readKey = (await seedIngestKey(db.sql, workspace.id, "read")).token;
  const deps = { getSql: async () => db.sql, webhookSecret: WEBHOOK_SECRET, defaultWorkspace: workspace.slug, maxReportedJobs: 1000 };
  server = await serveHandlers({
    // As Next hands the catch-all route its segments: split after /ping/ and decoded.
    "/ping/*": (request) => {
      const segments = new URL(request.url).pathname.slice("/ping/".length).split("/").filter(Boolean).map(decodeURIComponent);
      return handlePing(request, segments, deps);
    },
  });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Answer = { status: number; text: string; headers: Headers };

async function ping(path: string, init: { method?: string; body?: string | Blob } = {}): Promise<Answer> {
  const response = await fetch(`${server.url}/ping/${path}`, { method: init.method ?? (init.body === undefined ? "GET" : "POST"), body: init.body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

let counter = 0;
const newSlug = () => `nightly-backup-${Date.now()}-${counter++}`;

/** A reported job, as a first report makes it: its ping UUID is the database's. */
async function reportedJob(kind: "reported" | "http" = "reported"): Promise<{ id: string; slug: string; uuid: string }> {
  const slug = newSlug();
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, http_target)
    values (${workspace.id}, ${slug}, ${slug}, ${kind},
            ${kind === "http" ? tx.json({ method: "POST", url: "https://example.com/hook" }) : null})
    returning id`);
  const uuid = await jobPingUuid(db.sql, job!.id);
  return { id: job!.id, slug, uuid: uuid! };
}

async function runsOf(jobId: string) {
  return db.sql<{ status: string; exit_code: number | null; message: string | null; log: string | null; external_id: string | null; finished: boolean }[]>`
    select status, exit_code, message, log, external_id, finished_at is not null as finished
    from runs where job_id = ${jobId} order by queued_at, id`;
}

async function openIncidents(jobId: string) {
  return db.sql<{ kind: string; failure_count: number }[]>`
    select kind, failure_count from incidents where job_id = ${jobId} and resolved_at is null`;
}

describe("ping by UUID", () => {
  it("answers 200 OK in plain text, readable from any origin, never cached, with the body limit", async () => {
    const job = await reportedJob();
    const answer = await ping(job.uuid);
    expect([answer.status, answer.text]).toEqual([200, "OK"]);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("ping-body-limit")).toBe(String(PING_BODY_LIMIT));
    expect(await runsOf(job.id)).toMatchObject([{ status: "succeeded", finished: true }]);
  });

  it("takes HEAD, GET and POST alike, and refuses other methods with 405 and Allow", async () => {
    const job = await reportedJob();
    const head = await ping(`${job.uuid}/start`, { method: "HEAD" });
    expect([head.status, head.text]).toEqual([200, ""]);
    expect(await runsOf(job.id)).toMatchObject([{ status: "running" }]);
    expect((await ping(job.uuid, { method: "POST", body: "" })).status).toBe(200);
    const put = await ping(job.uuid, { method: "PUT", body: "x" });
    expect([put.status, put.headers.get("allow")]).toEqual([405, "GET, HEAD, POST"]);
  });

  it("/fail and a non-zero exit status open and extend an incident, with the body as log and its last line as message; a success resolves it", async () => {
    const job = await reportedJob();
    expect((await ping(`${job.uuid}/fail`, { body: "dumping db\npg_dump: error: connection refused\n" })).status).toBe(200);
    expect(await openIncidents(job.id)).toEqual([{ kind: "failed", failure_count: 1 }]);
    expect((await ping(`${job.uuid}/3`)).status).toBe(200);
    expect(await openIncidents(job.id)).toEqual([{ kind: "failed", failure_count: 2 }]);
    expect((await ping(`${job.uuid}/0`)).status).toBe(200);
    expect(await openIncidents(job.id)).toEqual([]);
    expect(await runsOf(job.id)).toMatchObject([
      { status: "failed", exit_code: null, message: "pg_dump: error: connection refused", log: "dumping db\npg_dump: error: connection refused\n" },
      { status: "failed", exit_code: 3, message: "exited with code 3" },
      { status: "succeeded", exit_code: 0 },
    ]);
    const alerts = await db.sql<{ kind: string }[]>`select kind from alerts where job_id = ${job.id} order by created_at`;
    expect(alerts.map((alert) => alert.kind)).toEqual(["failure", "recovery"]);
  });

  it("refuses an exit status over 255 and an unknown UUID as Healthchecks does", async () => {
    const job = await reportedJob();
    expect(await ping(`${job.uuid}/256`).then((a) => [a.status, a.text])).toEqual([400, "invalid url format"]);
    expect(await ping("3f2a1c9e-0d4b-4e8a-9c57-6b1d2e3f4a5b").then((a) => [a.status, a.text])).toEqual([404, "not found"]);
    expect(await ping(`${job.uuid}/start/extra`).then((a) => [a.status, a.text])).toEqual([404, "not found"]);
    expect(await runsOf(job.id)).toEqual([]);
  });

  it("pairs a start with its end by rid, and refuses a rid that is not a UUID", async () => {
    const job = await reportedJob();
    const rid = "7d5c6a4e-1b2f-4c3d-8e9f-0a1b2c3d4e5f";
    expect((await ping(`${job.uuid}/start?rid=${rid}`)).status).toBe(200);
    expect((await ping(`${job.uuid}/1?rid=${rid}`, { body: "Traceback (most recent call last):\nKeyError: 'id'" })).status).toBe(200);
    expect(await runsOf(job.id)).toMatchObject([{ status: "failed", exit_code: 1, external_id: rid, message: "KeyError: 'id'" }]);
    expect(await ping(`${job.uuid}/start?rid=not-a-uuid`).then((a) => [a.status, a.text])).toEqual([400, "invalid uuid format"]);
    expect(await runsOf(job.id)).toHaveLength(1);
  });

  it("pairs an end without a rid with the newest open start", async () => {
    const job = await reportedJob();
    await ping(`${job.uuid}/start`);
    await ping(job.uuid);
    expect(await runsOf(job.id)).toMatchObject([{ status: "succeeded", finished: true }]);
  });

  it("/log adds to the open run's log and changes nothing else", async () => {
    const job = await reportedJob();
    await ping(`${job.uuid}/start`);
    expect(await ping(`${job.uuid}/log`, { body: "step 1 of 3 done" }).then((a) => [a.status, a.text])).toEqual([200, "OK"]);
    expect(await ping(`${job.uuid}/log`, { body: "step 2 of 3 done" }).then((a) => a.status)).toBe(200);
    expect(await runsOf(job.id)).toMatchObject([{ status: "running", finished: false, log: "step 1 of 3 done\nstep 2 of 3 done" }]);
    expect(await openIncidents(job.id)).toEqual([]);
  });

  it("keeps the tail of a body over the limit, and keeps a body that is not UTF-8 with its bad bytes replaced", async () => {
    const job = await reportedJob();
    const long = `${"x".repeat(PING_BODY_LIMIT)}\nthe end of the output`;
    expect((await ping(job.uuid, { body: long })).status).toBe(200);
    const [kept] = await runsOf(job.id);
    expect(Buffer.byteLength(kept!.log!)).toBe(PING_BODY_LIMIT);
    expect(kept!.log!.endsWith("\nthe end of the output")).toBe(true);

    expect((await ping(`${job.uuid}/fail`, { body: new Blob([new Uint8Array([0x6f, 0x6b, 0xff, 0xfe, 0x21])]) })).status).toBe(200);
    const [, invalid] = await runsOf(job.id);
    expect(invalid!.log).toBe("ok\uFFFD\uFFFD!");
  });

  it("refuses pings for a job Jobboard runs itself", async () => {
    const job = await reportedJob("http");
    for (const path of [job.uuid, `${job.uuid}/start`, `${job.uuid}/log`]) {
      const answer = await ping(path, { body: "not yours" });
      expect(answer.status).toBe(409);
      expect(answer.text).toMatch(/run by Jobboard/);
    }
    expect(await runsOf(job.id)).toEqual([]);
  });
});

describe("ping by key and slug", () => {
  it("answers 404 for an unknown slug, creates the job with create=1 (201 Created), then 200", async () => {
    const slug = newSlug();
    expect(await ping(`${reportKey}/${slug}`).then((a) => [a.status, a.text])).toEqual([404, "not found"]);
    expect(await db.sql`select 1 from jobs where job_key = ${slug}`).toHaveLength(0);
    expect(await ping(`${reportKey}/${slug}/start?create=1`).then((a) => [a.status, a.text])).toEqual([201, "Created"]);
    expect(await ping(`${reportKey}/${slug}?create=1`).then((a) => [a.status, a.text])).toEqual([200, "OK"]);
    const [job] = await db.sql<{ id: string; workspace_id: string; kind: string }[]>`
      select id, workspace_id, kind from jobs where job_key = ${slug}`;
    expect(job).toMatchObject({ workspace_id: workspace.id, kind: "reported" });
    expect(await runsOf(job!.id)).toMatchObject([{ status: "succeeded", finished: true }]);
  });

  it("takes the shared secret as a ping key, and refuses keys that are wrong, revoked or read-only as unknown", async () => {
    const job = await reportedJob();
    expect((await ping(`${WEBHOOK_SECRET}/${job.slug}/fail`)).status).toBe(200);
    for (const key of ["jb_nosuchkey_abc", "not-a-key", readKey]) {
      expect(await ping(`${key}/${job.slug}`).then((a) => [a.status, a.text])).toEqual([404, "not found"]);
    }
    const revoked = await seedIngestKey(db.sql, workspace.id, "report");
    await withService(db.sql, (tx) => tx`update ingest_keys set revoked_at = now() where id = ${revoked.id}`);
    expect((await ping(`${revoked.token}/${job.slug}`)).status).toBe(404);
    expect(await runsOf(job.id)).toMatchObject([{ status: "failed" }]);
  });

  it("refuses an uppercase slug and an exit status over 255 with 400 invalid url format", async () => {
    expect(await ping(`${reportKey}/Nightly-Backup?create=1`).then((a) => [a.status, a.text])).toEqual([400, "invalid url format"]);
    expect(await ping(`${reportKey}/${newSlug()}/300?create=1`).then((a) => [a.status, a.text])).toEqual([400, "invalid url format"]);
    expect(await db.sql`select 1 from jobs where job_key ilike 'nightly-backup' `).toHaveLength(0);
  });

  it("records runitor's calls: start, then the exit code with the output's tail, then a failing run, each paired by rid", async () => {
    const slug = newSlug();
    const [first, second] = ["2b8f7c1a-3d4e-4f5a-8b6c-7d8e9f0a1b2c", "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"];
    expect((await ping(`${reportKey}/${slug}/start?create=1&rid=${first}`)).status).toBe(201);
    expect((await ping(`${reportKey}/${slug}/0?rid=${first}`, { body: "backup: 12 files, 3.1 GB\ndone\n" })).status).toBe(200);
    expect((await ping(`${reportKey}/${slug}/start?rid=${second}`)).status).toBe(200);
    expect((await ping(`${reportKey}/${slug}/fail?rid=${second}`, { body: "rsync: connection unexpectedly closed\n" })).status).toBe(200);
    const [job] = await db.sql<{ id: string }[]>`select id from jobs where job_key = ${slug}`;
    expect(await runsOf(job!.id)).toMatchObject([
      { status: "succeeded", exit_code: 0, external_id: first, message: "done", log: "backup: 12 files, 3.1 GB\ndone\n" },
      { status: "failed", external_id: second, message: "rsync: connection unexpectedly closed" },
    ]);
    expect(await openIncidents(job!.id)).toEqual([{ kind: "failed", failure_count: 1 }]);
  });
});

describe("ping UUIDs", () => {
  it("are made with each job, and no member reads them from the database: they let their holder report", async () => {
    const job = await reportedJob();
    expect(job.uuid).toMatch(/^[0-9a-f-]{36}$/);
    for (const user of [owner, viewer]) {
      const result = await asUser(db.sql, user, (tx) => outcome(tx, (sp) => sp`select ping_uuid from job_ping_urls where job_id = ${job.id}`));
      expect(result, user.email).toBe("42501");
    }
  });

  it("keep a body's NUL characters out of the database instead of failing the ping", async () => {
    const job = await reportedJob();
    await ping(`${job.uuid}/start`);
    expect((await ping(`${job.uuid}/log`, { body: "step\u0000 one" })).status).toBe(200);
    expect((await ping(`${job.uuid}/0`, { body: "done\u0000" })).status).toBe(200);
    expect(await runsOf(job.id)).toMatchObject([{ status: "succeeded", log: "done" }]);
  });
});
