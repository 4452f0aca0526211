import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { type AddressInfo } from "node:net";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliver } from "@/cli/hub";
import { REPORT_PATH } from "@/cli/http";
import { AGENT_FINISH_PATH, listSpool, replaySpool, spoolStatus, tokenFingerprint, writeSpoolEntry } from "@/cli/spool";

// A local server that answers with whatever status the test asks for: it stands in only for the
// HTTP answer codes a replay must act on.
type Received = { path: string; authorization: string | undefined; body: Record<string, unknown> };
const received: Received[] = [];
let answers: number[] = [];
let server: http.Server;
let hubUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      received.push({ path: request.url ?? "", authorization: request.headers.authorization, body: JSON.parse(text) as Record<string, unknown> });
      const status = answers.shift() ?? 200;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(status < 300 ? { success: true, duplicate: false } : { error: `answered ${status}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "jobboard-spool-"));
  received.length = 0;
  answers = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const warnings: string[] = [];
const replay = (tokens: Array<string | undefined>, url = hubUrl) =>
  replaySpool({ dir, hubUrl: url, tokens, requestTimeoutMs: 5000, warn: (text) => warnings.push(text) });

async function spool(runId: string, p: { token?: string; url?: string; endpoint?: typeof REPORT_PATH | typeof AGENT_FINISH_PATH; at?: Date } = {}) {
  return writeSpoolEntry(
    dir,
    { endpoint: p.endpoint ?? REPORT_PATH, hubUrl: p.url ?? hubUrl, token: "token" in p ? p.token : "jb_one", payload: { job_key: "k", run_id: runId } },
    p.at,
  );
}

describe("the spool", () => {
  it("writes one owner-only JSON file per entry, with the token's fingerprint and never the token", async () => {
    const file = await spool("r1", { token: "jb_secret_value", url: `${hubUrl}/api/monitor/job-report` });
    const text = await readFile(file, "utf8");
    expect(text).not.toContain("jb_secret_value");
    expect(JSON.parse(text)).toEqual({
      version: 1,
      endpoint: "/api/monitor/job-report",
      hub_url: hubUrl,
      token_fingerprint: tokenFingerprint("jb_secret_value"),
      payload: { job_key: "k", run_id: "r1" },
      spooled_at: expect.any(String),
    });
    expect(tokenFingerprint("jb_secret_value")).toMatch(/^[0-9a-f]{16}$/);
    if (process.platform !== "win32") expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Nothing half-written is left beside it.
    expect(await readdir(dir)).toEqual([path.basename(file)]);
  });

  it("keeps entries in the order they were written: by time, then by sequence", async () => {
    const at = new Date("2026-12-01T09:00:00.000Z");
    await spool("later", { at: new Date("2026-12-01T09:00:01.000Z") });
    await spool("first", { at });
    await spool("second", { at });
    await spool("third", { at });
    const { entries } = await listSpool(dir);
    expect(entries.map(({ entry }) => entry.payload.run_id)).toEqual(["first", "second", "third", "later"]);
  });

  it("replays in order, deleting what the hub took", async () => {
    await spool("a");
    await spool("b", { endpoint: AGENT_FINISH_PATH });
    expect(await replay(["jb_one"])).toEqual({ sent: 2, rejected: 0, remaining: 0, problem: null });
    expect(received.map((r) => [r.path, r.body.run_id, r.authorization])).toEqual([
      ["/api/monitor/job-report", "a", "Bearer jb_one"],
      ["/api/agent/finish", "b", "Bearer jb_one"],
    ]);
    expect((await listSpool(dir)).entries).toEqual([]);
  });

  it("replays only the entries of this hub made with a token it has", async () => {
    await spool("other-token", { token: "jb_two" });
    await spool("other-hub", { url: "https://elsewhere.example.com" });
    await spool("mine");
    await spool("no-token", { token: undefined });
    expect(await replay(["jb_one"])).toMatchObject({ sent: 1, remaining: 0 });
    expect(received.map((r) => r.body.run_id)).toEqual(["mine"]);
    expect((await listSpool(dir)).entries.map(({ entry }) => entry.payload.run_id)).toEqual(["other-token", "other-hub", "no-token"]);

    // With the other token too, its entry goes, each with the token it was made with.
    received.length = 0;
    expect(await replay(["jb_one", "jb_two", undefined])).toMatchObject({ sent: 2 });
    expect(received.map((r) => [r.body.run_id, r.authorization])).toEqual([
      ["other-token", "Bearer jb_two"],
      ["no-token", undefined],
    ]);
  });

  it("stops at the first 5xx and keeps that entry and the ones after it", async () => {
    await spool("a");
    await spool("b");
    await spool("c");
    answers = [200, 503];
    const result = await replay(["jb_one"]);
    expect(result).toEqual({ sent: 1, rejected: 0, remaining: 2, problem: "HTTP 503 answered 503" });
    expect(received.map((r) => r.body.run_id)).toEqual(["a", "b"]);
    expect((await listSpool(dir)).entries.map(({ entry }) => entry.payload.run_id)).toEqual(["b", "c"]);
  });

  it("moves an entry the hub refuses to rejected/, with a warning, and carries on", async () => {
    await spool("bad");
    await spool("good");
    answers = [400, 200];
    warnings.length = 0;
    expect(await replay(["jb_one"])).toEqual({ sent: 1, rejected: 1, remaining: 0, problem: null });
    expect(await readdir(path.join(dir, "rejected"))).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/^the hub refused a spooled report for run bad \(HTTP 400 answered 400\); moved it to .*rejected/)]);
    expect((await spoolStatus(dir, hubUrl, ["jb_one"])).rejected).toBe(1);
  });

  it("stops when the hub cannot be reached at all", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await spool("a", { url: downUrl });
    const result = await replay(["jb_one"], downUrl);
    expect(result).toMatchObject({ sent: 0, remaining: 1 });
    expect(result.problem).toMatch(/ECONNREFUSED/);
  });

  it("moves a file that is not an entry out of the way", async () => {
    await writeFile(path.join(dir, "001796118049340-000000-1-abc.json"), "{not json");
    warnings.length = 0;
    await replay(["jb_one"]);
    expect(await readdir(path.join(dir, "rejected"))).toEqual(["001796118049340-000000-1-abc.json"]);
    expect(warnings[0]).toMatch(/is not a spool entry/);
  });

  it("counts what waits, per hub, with the oldest", async () => {
    await spool("a", { at: new Date("2026-12-01T09:00:00.000Z") });
    await spool("b", { at: new Date("2026-12-01T10:00:00.000Z"), token: "jb_two" });
    await spool("c", { url: "https://elsewhere.example.com", at: new Date("2026-12-02T00:00:00.000Z") });
    const status = await spoolStatus(dir, hubUrl, ["jb_one"]);
    expect(status).toEqual({
      dir,
      hubs: [
        { hubUrl, count: 2, oldest: "2026-12-01T09:00:00.000Z", matching: 1 },
        { hubUrl: "https://elsewhere.example.com", count: 1, oldest: "2026-12-02T00:00:00.000Z", matching: 0 },
      ],
      rejected: 0,
      unreadable: 0,
    });
  });
});

describe("delivering a report", () => {
  const target = () => ({ hubUrl, token: "jb_one", hubTimeoutMs: 3000, spoolDir: dir });

  it("sends it when the hub takes it", async () => {
    const delivery = await deliver(target(), REPORT_PATH, { job_key: "k", run_id: "r" });
    expect(delivery).toEqual({ kind: "delivered", body: { success: true, duplicate: false } });
    expect((await listSpool(dir)).entries).toEqual([]);
  });

  it("retries a 5xx briefly, then spools it", async () => {
    answers = [503, 503, 503, 503, 503, 503, 503, 503];
    const delivery = await deliver({ ...target(), hubTimeoutMs: 1000 }, AGENT_FINISH_PATH, { run_id: "r" });
    expect(delivery).toMatchObject({ kind: "spooled", problem: "HTTP 503 answered 503" });
    expect(received.length).toBeGreaterThan(1);
    const { entries } = await listSpool(dir);
    expect(entries.map(({ entry }) => [entry.endpoint, entry.payload])).toEqual([["/api/agent/finish", { run_id: "r" }]]);
  });

  it("does not spool a refusal", async () => {
    answers = [400];
    expect(await deliver(target(), REPORT_PATH, { job_key: "k" })).toEqual({ kind: "refused", status: 400, problem: "HTTP 400 answered 400" });
    expect(received).toHaveLength(1);
    expect((await listSpool(dir)).entries).toEqual([]);
  });
});
