import { describe, expect, it } from "vitest";
import { runCode } from "@/lib/run-code";
import { buildSlackMessage } from "@/server/notify/messages";

const failedRun = {
  jobTitle: "Nightly backup",
  jobKey: "nightly-backup",
  durationMs: 65_000,
  exitCode: 28,
  message: "disk full",
  stderrTail: "No space left on device",
  runUrl: null,
};

const factsOf = (message: ReturnType<typeof buildSlackMessage>) => JSON.stringify(message.blocks[1]);

describe("a recovery message", () => {
  const recovery = {
    kind: "recovery" as const,
    failureCount: 3,
    incidentKind: "failed" as const,
    openedAt: new Date("2026-12-01T01:00:00Z"),
    resolvedAt: new Date("2026-12-01T03:05:00Z"),
  };

  it("says what recovered, for how long it was broken and how many failures the incident held", () => {
    const message = buildSlackMessage(recovery, failedRun);
    expect(message.text).toBe(":white_check_mark: Nightly backup recovered after failing 3 times");
    expect(message.blocks[1]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "`nightly-backup` · failing for 2 h 05 m · 3 failures" }] });
    expect(factsOf(buildSlackMessage({ ...recovery, failureCount: 1, incidentKind: "missed" }, failedRun))).toContain("missing runs for 2 h 05 m · 1 failure\"");
  });

  it("never shows the failure's message, exit code or stderr as if they were current", () => {
    const text = JSON.stringify(buildSlackMessage(recovery, failedRun));
    expect(text).not.toContain("disk full");
    expect(text).not.toContain("exit code");
    expect(text).not.toContain("No space left");
  });

  it("still says what recovered when the incident's times are unknown", () => {
    expect(buildSlackMessage({ kind: "recovery" }, failedRun).blocks[1]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "`nightly-backup`" }] });
  });
});

describe("an HTTP job's code", () => {
  it("reads as its HTTP status, and a process's as an exit code", () => {
    expect(factsOf(buildSlackMessage({ kind: "failure", status: "failed" }, { ...failedRun, exitCode: 500, jobKind: "http" }))).toContain("duration 1 m 05 s · HTTP 500");
    const script = factsOf(buildSlackMessage({ kind: "failure", status: "failed" }, { ...failedRun, jobKind: "agent" }));
    expect(script).toContain("exit code 28");
    expect(script).not.toContain("HTTP");
    expect(runCode("http", 503)).toEqual({ kind: "http", status: 503 });
    expect(runCode("reported", 2)).toEqual({ kind: "exit", code: 2 });
    expect(runCode("http", null)).toBeNull();
  });
});
