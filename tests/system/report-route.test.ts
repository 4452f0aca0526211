import { request as httpRequest } from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { generateIngestKey } from "@/server/ingest/keys";
import { REPORT_LIMITS } from "@/server/ingest/limits";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedUser, seedWorkspace } from "../integration/support/fixtures";
import { startApp, type AppServer } from "./support/app-server";

// The report API's route on the built server: the Node request and response the route tests'
// Fetch requests stand in for. Every edge a client meets before the handler's rules start.
let db: TestDatabase;
let app: AppServer;
let token: string;
let workspaceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  const workspace = await seedWorkspace(db.sql, owner, "Route");
  workspaceId = workspace.id;
  const key = generateIngestKey();
  token = key.token;
  await withService(db.sql, (tx) => tx`
    insert into ingest_keys (workspace_id, name, prefix, secret_hash) values (${workspace.id}, 'route', ${key.prefix}, ${key.hash})`);
  app = await startApp({ databaseUrl: db.url });
});

afterAll(async () => {
  await app?.stop();
  await db?.close();
});

const finish = (jobKey: string, runId = randomUUID()) => ({
  job_key: jobKey,
  title: `Route ${jobKey}`,
  status: "success",
  run_id: runId,
  finished_at: new Date().toISOString(),
  message: "処理完了 <ok>",
});

async function send(init: { method?: string; body?: string; headers?: Record<string, string> }) {
  const response = await fetch(`${app.url}/api/monitor/job-report`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...init.headers },
    body: init.body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** A body streamed in chunks with no Content-Length, as a client piping a file sends it. */
function streamChunks(chunks: number, chunkBytes: number): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${app.url}/api/monitor/job-report`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "transfer-encoding": "chunked" },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (part: string) => (text += part));
      response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    });
    // The server reads and drops the rest, so every chunk goes out and no reset hides the answer.
    request.on("error", reject);
    const chunk = "x".repeat(chunkBytes);
    const write = (left: number) => {
      if (left === 0) return void request.end();
      request.write(chunk, () => write(left - 1));
    };
    write(chunks);
  });
}

describe("the report route on the production server", () => {
  it("records a report, answers its duplicate as one, and writes the run once", async () => {
    const report = finish("route-ok");
    const first = await send({ body: JSON.stringify(report) });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.body).toMatchObject({ success: true, job_key: "route-ok", duplicate: false });
    const again = await send({ body: JSON.stringify(report) });
    expect(again.body).toMatchObject({ success: true, run_id: first.body.run_id, duplicate: true });
    const [row] = await db.sql<{ runs: number; message: string }[]>`
      select count(*)::int as runs, max(r.message) as message from runs r join jobs j on j.id = r.job_id
      where j.workspace_id = ${workspaceId} and j.job_key = 'route-ok'`;
    expect(row).toEqual({ runs: 1, message: "処理完了 <ok>" });
  });

  it("answers every other method 405 with Allow", async () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const answer = await send({ method, body: method === "GET" ? undefined : "{}" });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get("allow")).toBe("POST");
      expect(answer.body).toEqual({ error: "Use POST to send a report" });
    }
  });

  it("refuses a wrong type, a bad secret, bad JSON and a bad field, each naming what is wrong", async () => {
    expect(await send({ body: JSON.stringify(finish("route-type")), headers: { "content-type": "text/plain" } })).toMatchObject({
      status: 415,
      body: { error: "Content-Type must be application/json", field: "content-type" },
    });
    expect((await send({ body: JSON.stringify(finish("route-secret")), headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect(await send({ body: "{not json" })).toMatchObject({ status: 400, body: { error: "Invalid JSON body" } });
    expect(await send({ body: JSON.stringify({ ...finish("route-field"), status: "sideways" }) })).toMatchObject({
      status: 400,
      body: { field: "status" },
    });
  });

  it("refuses a body over the limit, declared or streamed, and stays up for the next report", async () => {
    const declared = await send({ body: JSON.stringify({ ...finish("route-big"), message: "x".repeat(REPORT_LIMITS.bodyBytes) }) });
    expect(declared).toMatchObject({ status: 413, body: { error: `Request body must be at most ${REPORT_LIMITS.bodyBytes} bytes` } });
    const streamed = await streamChunks(40, 64 * 1024);
    expect(streamed).toMatchObject({ status: 413 });
    expect((await send({ body: JSON.stringify(finish("route-after")) })).status).toBe(200);
    const [row] = await db.sql<{ jobs: number }[]>`
      select count(*)::int as jobs from jobs where workspace_id = ${workspaceId} and job_key like 'route-big%'`;
    expect(row!.jobs).toBe(0);
  });
});
