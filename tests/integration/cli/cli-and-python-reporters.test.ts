import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleJobReport } from "@/server/ingest/http";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedIngestKey, seedUser, seedWorkspace } from "../support/fixtures";
import { serveHandlers, type TestServer } from "../support/http-server";

const ROOT = process.cwd();
const CLI = path.join(ROOT, "bin", "jobboard.mjs");
const WEBHOOK_SECRET = "legacy-shared-secret-0123456789";
const SPOOL_DIR = mkdtempSync(path.join(tmpdir(), "jobboard-reporters-spool-"));

let db: TestDatabase;
let server: TestServer;
let token: string;
let failuresLeft = 0;
const slackMessages: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  const workspace = await seedWorkspace(db.sql, owner, "Reporters");
  token = (await seedIngestKey(db.sql, workspace.id)).token;
  const deps = { getSql: async () => db.sql, webhookSecret: WEBHOOK_SECRET, defaultWorkspace: workspace.slug };
  server = await serveHandlers({
    "/api/monitor/job-report": (request) => handleJobReport(request, deps),
    // A hub that fails a few times before it recovers.
    "/flaky/api/monitor/job-report": async (request) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        return new Response("upstream down", { status: 502 });
      }
      return handleJobReport(request, deps);
    },
    "/slack": async (request) => {
      slackMessages.push((await request.json()) as Record<string, unknown>);
      return new Response("ok");
    },
  });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Finished = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function runCli(args: string[], env: Record<string, string> = {}, onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void) {
  return new Promise<Finished>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      // A spool of this file's own: a report the hub could not take must not land in the runner's home.
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", JOBBOARD_SPOOL_DIR: SPOOL_DIR, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function latestRun(jobKey: string) {
  const rows = await db.sql`
    select r.status, r.exit_code, r.message, r.stderr_tail, r.log, r.duration_ms, r.host, r.started_at, r.external_id,
           j.title, j.tags
    from runs r join jobs j on j.id = r.job_id where j.job_key = ${jobKey}
    order by r.queued_at desc`;
  return rows;
}

describe("jobboard CLI", () => {
  it("passes the command's output through, exits with its code, and records the stderr", async () => {
    const result = await runCli(
      ["run", "--job-key", "cli-fail", "--title", "CLI 失敗テスト", "--tag", "nightly", "--hub-url", server.url, "--token", token,
       "--", "sh", "-c", "echo hello; echo oops >&2; exit 3"],
    );
    expect(result).toMatchObject({ code: 3, signal: null, stdout: "hello\n" });
    expect(result.stderr).toBe("oops\n");
    const runs = await latestRun("cli-fail");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: "failed",
      exit_code: 3,
      message: "exited with code 3",
      stderr_tail: "oops\n",
      log: "hello\n",
      title: "CLI 失敗テスト",
      tags: ["nightly"],
    });
    expect(runs[0]!.started_at).not.toBeNull();
    expect(runs[0]!.external_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reports a success, reading its settings from the environment", async () => {
    const result = await runCli(["run", "--", "sh", "-c", "echo fine"], {
      JOBBOARD_HUB_URL: server.url,
      JOBBOARD_TOKEN: token,
      JOBBOARD_JOB_KEY: "cli-env",
    });
    expect(result.code).toBe(0);
    expect(await latestRun("cli-env")).toMatchObject([{ status: "succeeded", exit_code: 0, log: "fine\n" }]);
  });

  it("forwards SIGINT to the command and records 'terminated by signal SIGINT'", async () => {
    const result = await runCli(
      ["run", "--job-key", "cli-sigint", "--hub-url", server.url, "--token", token, "--", "sh", "-c", "echo started; exec sleep 30"],
      {},
      (stdout, kill) => {
        if (stdout.includes("started")) kill("SIGINT");
      },
    );
    // The CLI ends as its child did: by SIGINT.
    expect(result.signal).toBe("SIGINT");
    const [run] = await latestRun("cli-sigint");
    expect(run).toMatchObject({ status: "failed", message: "terminated by signal SIGINT", exit_code: 130 });
  });

  it("keeps the command's outcome when the hub is down, with a warning on stderr", async () => {
    const result = await runCli(["run", "--job-key", "cli-down", "--hub-url", "http://127.0.0.1:1", "--hub-timeout", "700ms", "--", "sh", "-c", "echo still ran; exit 4"]);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe("still ran\n");
    expect(result.stderr).toMatch(/jobboard: could not reach the hub for the finish report/);
  });

  it("retries a hub answering 5xx until it takes the report", async () => {
    failuresLeft = 3;
    const result = await runCli(["run", "--job-key", "cli-flaky", "--hub-url", `${server.url}/flaky`, "--token", token, "--hub-timeout", "20s", "--", "true"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(await latestRun("cli-flaky")).toMatchObject([{ status: "succeeded" }]);
  });

  it("posts a summary straight to Slack when given a webhook", async () => {
    slackMessages.length = 0;
    await runCli(["run", "--job-key", "cli-slack", "--hub-url", server.url, "--token", token, "--slack-webhook", `${server.url}/slack`,
      "--", "sh", "-c", "echo 'Traceback: KeyError' >&2; exit 1"]);
    expect(slackMessages).toHaveLength(1);
    expect(JSON.stringify(slackMessages[0])).toContain("Traceback: KeyError");
    expect(slackMessages[0]!.text).toMatch(/^cli-slack failed \(exit code 1/);
  });

  it("never renames an existing job to its key when no title is given, and titles a new one by it", async () => {
    const hub = ["--hub-url", server.url, "--token", token];
    expect((await runCli(["run", "--job-key", "cli-titled", "--title", "Nightly export", ...hub, "--", "true"])).code).toBe(0);
    expect((await runCli(["run", "--job-key", "cli-titled", ...hub, "--", "sh", "-c", "exit 4"])).code).toBe(4);
    expect((await runCli(["report", "--job-key", "cli-titled", "--status", "success", ...hub])).code).toBe(0);
    const runs = await latestRun("cli-titled");
    expect(runs.map((run) => [run.status, run.title])).toEqual([
      ["succeeded", "Nightly export"],
      ["failed", "Nightly export"],
      ["succeeded", "Nightly export"],
    ]);
    expect((await runCli(["run", "--job-key", "cli-untitled", ...hub, "--", "true"])).code).toBe(0);
    expect(await latestRun("cli-untitled")).toMatchObject([{ status: "succeeded", title: "cli-untitled" }]);
    // A title given later still renames the job, as seed 003's reports do.
    expect((await runCli(["run", "--job-key", "cli-untitled", "--title", "Cleanup", ...hub, "--", "true"])).code).toBe(0);
    expect((await latestRun("cli-untitled"))[0]).toMatchObject({ title: "Cleanup" });
  });

  it("sends one-shot reports, and refuses bad flags with exit 2", async () => {
    const ok = await runCli(["report", "--job-key", "cli-report", "--status", "error", "--message", "disk full", "--hub-url", server.url, "--token", token]);
    expect(ok.code).toBe(0);
    expect(await latestRun("cli-report")).toMatchObject([{ status: "failed", message: "disk full" }]);

    const bad = await runCli(["report", "--job-key", "x", "--status", "maybe"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--status must be success or error");
    const noCommand = await runCli(["run", "--job-key", "x"]);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('needs a command after "--"');
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--hub-timeout");
  });
});

describe("Python reporter (public/jobboard_report.py)", () => {
  function runPython(code: string, env: Record<string, string>) {
    return new Promise<Finished>((resolve) => {
      const child = spawn("python3", ["-c", code], {
        cwd: path.join(ROOT, "public"),
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  it("reports as seed 003's function did, with its environment variables and header", async () => {
    const result = await runPython(
      'from jobboard_report import report_job_status\nprint(report_job_status("success", "処理完了"))',
      {
        TC_PORTAL_MONITOR_URL: `${server.url}/api/monitor/job-report`,
        TC_PORTAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TC_PORTAL_JOB_KEY: "minpaku-in-report",
        TC_PORTAL_JOB_TITLE: "minpaku-IN レポート作成",
      },
    );
    expect(result.stdout.trim()).toBe("True");
    expect(await latestRun("minpaku-in-report")).toMatchObject([
      { status: "succeeded", message: "処理完了", title: "minpaku-IN レポート作成" },
    ]);
  });

  it("reports start and an error with its traceback around a block, and lets the exception through", async () => {
    const code = [
      "from jobboard_report import monitored_job",
      "@monitored_job(tags=['etl'])",
      "def main():",
      "    raise ValueError('売上データが空です')",
      "main()",
    ].join("\n");
    const result = await runPython(code, { JOBBOARD_HUB_URL: server.url, JOBBOARD_TOKEN: token, JOBBOARD_JOB_KEY: "py-etl" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ValueError: 売上データが空です");
    const runs = await latestRun("py-etl");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "failed", message: "ValueError: 売上データが空です", tags: ["etl"] });
    expect(runs[0]!.stderr_tail).toContain("Traceback (most recent call last)");
    expect(runs[0]!.host).toBeTruthy();
  });

  it("never breaks the script when Jobboard cannot be reached", async () => {
    const result = await runPython(
      "from jobboard_report import monitored_job\nwith monitored_job('py-down'):\n    print('work done')",
      { JOBBOARD_HUB_URL: "http://127.0.0.1:1", JOBBOARD_TOKEN: token },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("work done");
    expect(result.stdout).toContain("[Jobboard] report failed");
  });
});
