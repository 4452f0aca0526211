import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "@/cli/duration";
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
