import { spawn } from "node:child_process";
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "@/cli/version";

// `npm run build:cli` bundles the CLI into one file; it must run with no node_modules in sight.
const ROOT = path.resolve(__dirname, "..", "..", "..");
let dir: string;
let bundle: string;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

type Finished = { code: number | null; stdout: string; stderr: string };

function run(command: string, args: string[], env: Record<string, string> = {}, cwd = dir): Promise<Finished> {
  return new Promise((resolve) => {
    const childEnv: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: dir, ...env };
    const child = spawn(command, args, { cwd, env: childEnv as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const built = await run(process.execPath, [path.join(ROOT, "scripts", "build-cli.mjs")], {}, ROOT);
  expect(built.code, built.stderr).toBe(0);
  dir = await mkdtemp(path.join(tmpdir(), "jobboard-bundle-"));
  bundle = path.join(dir, "jobboard.mjs");
  await copyFile(path.join(ROOT, "dist", "jobboard.mjs"), bundle);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the bundled CLI (dist/jobboard.mjs)", () => {
  it("is one executable ESM file that runs from a folder with nothing else in it", async () => {
    const text = await readFile(bundle, "utf8");
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
    // Only Node's own modules are imported: everything else is inside the file.
    const imports = [...text.matchAll(/^import .* from "([^"]+)";?$/gm)].map((match) => match[1]);
    expect(imports.every((name) => name?.startsWith("node:"))).toBe(true);
    expect(await readFile(path.join(ROOT, "public", "jobboard.mjs"), "utf8")).toBe(text);

    const version = await run(process.execPath, [bundle, "--version"]);
    expect(version).toEqual({ code: 0, stdout: `jobboard ${VERSION}\nsha256 ${sha256(text)}  ${bundle}\n`, stderr: "" });
    const help = await run(process.execPath, [bundle, "help", "agent"]);
    expect(help.stdout).toContain("jobboard agent --config <file>");
  });

  it("is served with its checksum, and under a versioned name that no other build's bytes can take", async () => {
    const text = await readFile(bundle, "utf8");
    const sum = sha256(text);
    const publicDir = path.join(ROOT, "public");
    expect(await readFile(path.join(publicDir, "jobboard.mjs.sha256"), "utf8")).toBe(`${sum}  jobboard.mjs\n`);
    const versioned = `jobboard-${VERSION}-${sum.slice(0, 12)}.mjs`;
    expect((await readdir(publicDir)).filter((name) => name.startsWith("jobboard-")).sort()).toEqual([versioned, `${versioned}.sha256`]);
    expect(await readFile(path.join(publicDir, versioned), "utf8")).toBe(text);
    expect(await readFile(path.join(publicDir, `${versioned}.sha256`), "utf8")).toBe(`${sum}  ${versioned}\n`);
  });

  it("exits 2 naming the problem for a bad agent config", async () => {
    const config = path.join(dir, "agent.json");
    await writeFile(config, JSON.stringify({ jobs: { "nightly-report": { command: [] } } }));
    const result = await run(process.execPath, [bundle, "agent", "--config", config, "--token", "jba_test"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`jobboard agent: ${config}: jobs.nightly-report.command must be a non-empty array of strings\n`);
  });

  it("spools a report the hub cannot take, exits 0, and sends it on flush with the agent's run id", async () => {
    const spoolDir = path.join(dir, "spool");
    const received: Array<Record<string, unknown>> = [];
    const server = http.createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk.toString()));
      request.on("end", () => {
        received.push(JSON.parse(text) as Record<string, unknown>);
        response.writeHead(200, { "content-type": "application/json" }).end('{"success":true,"duplicate":false}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The hub is down first: nothing listens on the port.
    await new Promise((resolve) => server.close(resolve));
    const env = { JOBBOARD_SPOOL_DIR: spoolDir, JOBBOARD_HUB_URL: hubUrl, JOBBOARD_TOKEN: "jb_test", JOBBOARD_RUN_ID: "run-from-agent" };

    const report = await run(process.execPath, [bundle, "report", "--job-key", "nightly", "--status", "error", "--message", "disk full", "--hub-timeout", "500ms"], env);
    expect(report.code).toBe(0);
    const [name] = await readdir(spoolDir);
    expect(report.stderr).toContain(path.join(spoolDir, name!));
    const entry = JSON.parse(await readFile(path.join(spoolDir, name!), "utf8")) as { payload: Record<string, unknown> };
    expect(entry.payload).toMatchObject({ job_key: "nightly", status: "error", message: "disk full", run_id: "run-from-agent" });

    const waiting = await run(process.execPath, [bundle, "spool", "status"], env);
    expect(waiting.stdout).toContain(`1 waiting for ${hubUrl} (1 with this token)`);
    const stillDown = await run(process.execPath, [bundle, "spool", "flush"], env);
    expect(stillDown.code).toBe(1);

    // The hub is back on the same port.
    await new Promise<void>((resolve) => server.listen(Number(new URL(hubUrl).port), "127.0.0.1", resolve));
    try {
      const flushed = await run(process.execPath, [bundle, "spool", "flush"], env);
      expect(flushed.code).toBe(0);
      expect(received).toEqual([entry.payload]);
      expect(await readdir(spoolDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
