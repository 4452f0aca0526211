import { homedir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "@/cli/duration";
import { helpFor } from "@/cli/help";
import { endpointUrl, hubBaseUrl } from "@/cli/http";
import { reportUrl } from "@/cli/hub";
import { UsageError, parseCommand } from "@/cli/options";
import { slackSummary } from "@/cli/slack";
import { TailBuffer } from "@/cli/tail-buffer";

describe("durations", () => {
  it("reads the forms seed 000's flags use", () => {
    expect(parseDuration("60s")).toBe(60_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("1.5")).toBe(1500);
    expect(parseDuration("soon")).toBeNull();
  });

  it("prints them for people", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_345)).toBe("12.3s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(7_380_000)).toBe("2h 03m");
  });
});

describe("TailBuffer", () => {
  it("keeps only the last bytes of a long stream, on a character boundary", () => {
    const tail = new TailBuffer(10);
    for (const part of ["0123456789", "abcdef", "あいう"]) tail.push(Buffer.from(part));
    // "あいう" is 9 bytes; the last 10 bytes are "f" + "あいう".
    expect(tail.toString()).toBe("fあいう");
    const cut = new TailBuffer(8);
    cut.push(Buffer.from("xあいう"));
    expect(cut.toString()).toBe("いう");
  });

  it("gives a shorter tail on request, never a longer one", () => {
    const tail = new TailBuffer(6);
    tail.push(Buffer.from("abcdefgh"));
    expect(tail.toString(3)).toBe("fgh");
    expect(tail.toString(100)).toBe("cdefgh");
  });
});

describe("jobboard arguments", () => {
  it("reads run's flags, with the environment as fallback and flags winning", () => {
    const command = parseCommand(
      ["run", "--job-key", "train", "--tag", "gpu", "--tag", "nightly", "--hub-timeout", "5s", "--", "python", "train.py", "--epochs", "5"],
      { JOBBOARD_HUB_URL: "https://jobs.example.test", JOBBOARD_TOKEN: "jb_x", JOBBOARD_JOB_KEY: "ignored" },
    );
    expect(command).toEqual({
      kind: "run",
      command: ["python", "train.py", "--epochs", "5"],
      options: {
        hubUrl: "https://jobs.example.test",
        token: "jb_x",
        hubTimeoutMs: 5000,
        spoolDir: path.join(homedir(), ".jobboard", "spool"),
        runId: undefined,
        jobKey: "train",
        title: undefined,
        tags: ["gpu", "nightly"],
        slackWebhook: undefined,
        slackTimeoutMs: 10_000,
      },
    });
  });

  it("accepts seed 003's variables too", () => {
    const command = parseCommand(["report", "--status", "success"], {
      TC_PORTAL_MONITOR_URL: "https://portal.example.test/api/monitor/job-report",
      TC_PORTAL_WEBHOOK_SECRET: "s3cret",
      TC_PORTAL_JOB_KEY: "minpaku-in-report",
    });
    expect(command).toMatchObject({ kind: "report", status: "success", options: { token: "s3cret", jobKey: "minpaku-in-report" } });
  });

  it("tries the hub for 3s by default, takes the run id an agent set, and the spool dir from the environment", () => {
    const command = parseCommand(["report", "--status", "error", "--job-key", "k"], {
      JOBBOARD_RUN_ID: "6f1c0c7e-run",
      JOBBOARD_SPOOL_DIR: "/var/spool/jobboard",
    });
    expect(command).toMatchObject({
      kind: "report",
      options: { hubTimeoutMs: 3000, runId: "6f1c0c7e-run", spoolDir: path.resolve("/var/spool/jobboard") },
    });
  });

  it("reads the agent's flags, with its token and hub URL from the environment", () => {
    expect(parseCommand(["agent", "--config", "agent.json"], { JOBBOARD_AGENT_TOKEN: "jba_abc", JOBBOARD_HUB_URL: "https://hub.test" })).toEqual({
      kind: "agent",
      options: {
        configPath: "agent.json",
        hubUrl: "https://hub.test",
        token: "jba_abc",
        hubTimeoutMs: 3000,
        spoolDir: path.join(homedir(), ".jobboard", "spool"),
      },
    });
    expect(parseCommand(["agent", "-c", "a.json", "--token", "jba_flag"], { JOBBOARD_AGENT_TOKEN: "jba_env" })).toMatchObject({
      options: { token: "jba_flag", hubUrl: undefined },
    });
  });

  it("gives spool flush every token it knows, and one without a token when it knows none", () => {
    expect(parseCommand(["spool", "flush", "--token", "jb_a"], { JOBBOARD_TOKEN: "jb_b", JOBBOARD_AGENT_TOKEN: "jba_c" })).toMatchObject({
      kind: "spool",
      action: "flush",
      options: { tokens: ["jb_a", "jb_b", "jba_c"], hubUrl: "http://localhost:3000" },
    });
    expect(parseCommand(["spool", "status"], {})).toMatchObject({ options: { tokens: [undefined] } });
  });

  it.each([
    [["agent"], "jobboard agent needs --config <file>"],
    [["agent", "--config", "a.json"], "jobboard agent needs an agent token: pass --token jba_… or set JOBBOARD_AGENT_TOKEN"],
    [["agent", "--config", "a.json", "--token", "jb_ingest"], 'the agent token must start with "jba_" (a jb_… key is an ingest key, for reports)'],
    [["agent", "--config", "a.json", "--token", "jba_x", "--hub-url", "hub.test"], '--hub-url must start with http:// or https:// (got "hub.test")'],
    [["spool"], 'use "jobboard spool status" or "jobboard spool flush"'],
    [["spool", "empty"], 'use "jobboard spool status" or "jobboard spool flush"'],
  ])("refuses %j with a usage error", (argv, message) => {
    expect(() => parseCommand(argv as string[], {})).toThrow(UsageError);
    expect(() => parseCommand(argv as string[], {})).toThrow(message);
  });

  it.each([
    [["run", "--", ], 'needs a command after "--"'],
    [["run", "echo", "hi"], 'put the command after "--"'],
    [["run", "--hub-timeout", "soon", "--", "true"], "--hub-timeout must be a duration"],
    [["run", "--hub-url", "ftp://x", "--", "true"], "--hub-url must start with http"],
    [["report", "--status", "ok", "--job-key", "k"], "--status must be success or error"],
    [["report", "--status", "success"], "needs --job-key"],
    [["deploy"], 'unknown command "deploy"'],
  ])("refuses %j with a usage error", (argv, message) => {
    expect(() => parseCommand(argv as string[], {})).toThrow(UsageError);
    expect(() => parseCommand(argv as string[], {})).toThrow(message);
  });

  it("finds the report endpoint from a base URL or takes a full one as it is", () => {
    expect(reportUrl("http://localhost:3000")).toBe("http://localhost:3000/api/monitor/job-report");
    expect(reportUrl("https://x.test/jobboard/")).toBe("https://x.test/jobboard/api/monitor/job-report");
    expect(reportUrl("https://x.test/api/monitor/job-report")).toBe("https://x.test/api/monitor/job-report");
  });

  it("keeps one base URL per hub, whichever form it was given in", () => {
    expect(hubBaseUrl("https://x.test/")).toBe("https://x.test");
    expect(hubBaseUrl("https://x.test/jobboard/api/monitor/job-report")).toBe("https://x.test/jobboard");
    expect(endpointUrl("https://x.test/api/monitor/job-report", "/api/agent/finish")).toBe("https://x.test/api/agent/finish");
  });

  it("has help for the agent and the spool", () => {
    expect(helpFor("agent")).toContain("jobboard agent --config <file>");
    expect(helpFor("agent")).toContain("3 when the hub refuses the token");
    expect(helpFor("spool")).toContain("flush");
    expect(helpFor()).toContain("JOBBOARD_RUN_ID");
  });
});

describe("Slack summary", () => {
  const base = { title: "Nightly train", jobKey: "train", exitCode: 1, signal: null, durationMs: 65_000, host: "gpu-box", tags: ["gpu"] };

  it("puts the stderr tail of a failure in a code block, clipped", () => {
    const message = slackSummary({ ...base, isSuccess: false, stderrTail: `${"x".repeat(3000)}CUDA out of memory` });
    expect(message.text).toBe("Nightly train failed (exit code 1 · took 1m 05s · on gpu-box · tags gpu)");
    const blocks = message.blocks as Array<{ text?: { text: string } }>;
    const code = blocks[2]!.text!.text;
    expect(code.startsWith("```…")).toBe(true);
    expect(code.endsWith("CUDA out of memory```")).toBe(true);
    expect(code.length).toBeLessThan(2600);
  });

  it("says a signal ended the run, and leaves stderr out of a success", () => {
    expect(slackSummary({ ...base, isSuccess: false, signal: "SIGINT", exitCode: 130, stderrTail: "" }).text).toMatch(
      /^Nightly train was terminated by SIGINT/,
    );
    const success = slackSummary({ ...base, isSuccess: true, exitCode: 0, stderrTail: "warning: noisy" });
    expect(success.blocks).toHaveLength(2);
  });
});
