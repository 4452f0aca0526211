import http from "node:http";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleAgentRequest } from "@/server/agents/http";
import { withService } from "@/server/db/transactions";
import { AGENT_TOKEN_PREFIX, generateSecretToken } from "@/server/ingest/keys";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedUser, seedWorkspace } from "../integration/support/fixtures";
import { startApp, type AppServer } from "../system/support/app-server";

// A caller with no token, or one past the body limit, must not make the server take in a body
// it will refuse: the answer comes within the first megabytes and the connection is closed.
const MB = 1024 * 1024;
const UPLOAD = 200 * MB;
const CHUNK = Buffer.alloc(64 * 1024, "a");

let db: TestDatabase;
let app: AppServer;
let agentToken: string;

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

/**
 * Streams up to 200 MB, chunked and generated as it goes, waiting whenever the socket is full.
 * Stops at the server's answer or when the server closes the connection; says how many bytes
 * the socket accepted by then.
 */
function chunkedUpload(url: string, headers: Record<string, string>): Promise<{ status: number | null; sent: number; closed: boolean }> {
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | null = null;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      request.destroy();
      resolve({ status, sent, closed });
    };
    const request = http.request(url, { method: "POST", headers: { "content-type": "application/json", ...headers } });
    request.on("response", (response) => {
      status = response.statusCode ?? null;
      response.resume();
      response.on("end", () => finish(false));
    });
    request.on("error", () => finish(true));
    request.on("close", () => finish(true));
    const pump = () => {
      while (!done && status === null && sent < UPLOAD) {
        sent += CHUNK.byteLength;
        if (!request.write(CHUNK)) return void request.once("drain", pump);
      }
      if (!done && status === null && sent >= UPLOAD) request.end();
    };
    pump();
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  const workspace = await seedWorkspace(db.sql, owner, "Agents");
  const token = generateSecretToken(AGENT_TOKEN_PREFIX);
  await withService(db.sql, (tx) => tx`
    insert into agents (workspace_id, name, prefix, secret_hash) values (${workspace.id}, 'box', ${token.prefix}, ${token.hash})`);
  agentToken = token.token;
  app = await startApp({ databaseUrl: db.url });
});

afterAll(async () => {
  await app?.stop();
  await db?.close();
});

/** A 200 MB body made as it is read, counting what the handler pulled from it. */
function lazyBody(): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= UPLOAD) return controller.close();
      pulled += CHUNK.byteLength;
      controller.enqueue(new Uint8Array(CHUNK));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => pulled };
}

const agentRequest = (action: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  handleAgentRequest(
    new Request(`http://jobboard.test/api/agent/${action}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, duplex: "half" } as RequestInit),
    action,
    async () => db.sql,
  );

describe("the agent handler reads no body it will refuse", () => {
  it("refuses a caller with no token before pulling a byte of the body", async () => {
    const body = lazyBody();
    const response = await agentRequest("register", body.stream);
    expect(response.status).toBe(401);
    expect(body.pulled()).toBe(0);
  });

  it("stops pulling an agent's body just past the limit", async () => {
    const body = lazyBody();
    const response = await agentRequest("heartbeat", body.stream, { authorization: `Bearer ${agentToken}` });
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(512 * 1024 + CHUNK.byteLength);
  });
});

describe("the agent API reads no body it will refuse", () => {
  it("answers a 200 MB chunked upload with no token with 401 within the first megabytes, and the server's memory stays flat", async () => {
    const before = rssBytes(app.pid);
    const upload = await chunkedUpload(`${app.url}/api/agent/register`, {});
    expect(upload.status).toBe(401);
    expect(upload.sent).toBeLessThan(16 * MB);
    expect(rssBytes(app.pid) - before).toBeLessThan(64 * MB);
  });

  it("cuts an agent's chunked upload off at the body limit, long before 200 MB", async () => {
    const before = rssBytes(app.pid);
    const upload = await chunkedUpload(`${app.url}/api/agent/heartbeat`, { authorization: `Bearer ${agentToken}` });
    // Either the 413 arrives or the connection is cut; in neither case does the server read on.
    expect(upload.status === 413 || upload.closed).toBe(true);
    expect(upload.sent).toBeLessThan(16 * MB);
    expect(rssBytes(app.pid) - before).toBeLessThan(64 * MB);
  });

  it("limits callers without a token per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const response = await fetch(`${app.url}/api/agent/heartbeat`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer jba_guess${i}` },
        body: "{}",
      });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe(429);
    // The agent that has its token is not held back.
    const response = await fetch(`${app.url}/api/agent/heartbeat`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${agentToken}` },
      body: JSON.stringify({ runs: [] }),
    });
    expect(response.status).not.toBe(429);
    expect(response.status).not.toBe(401);
  });
});
