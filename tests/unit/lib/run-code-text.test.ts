import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { runCodeLabel, runCodeText } from "@/components/runs/run-code";
import { RunFacts } from "@/components/runs/run-facts";
import { RunTable } from "@/components/runs/run-table";
import { translator } from "@/lib/i18n/messages";
import type { RunListItem } from "@/server/runs/queries";

const en = translator("en");
const ja = translator("ja");

function run(jobKind: string, exitCode: number | null): RunListItem {
  const at = new Date("2026-12-01T00:00:00Z");
  return {
    id: `run-${jobKind}-${exitCode}`, job_id: "job", job_title: "Export", job_key: "export", job_kind: jobKind,
    status: "failed", trigger: "schedule", attempt: 1, queued_at: at, cursor_at: at.toISOString(), started_at: at, finished_at: at,
    duration_ms: 1200, exit_code: exitCode, message: null, host: null, stderr_tail: null, duration_rule: null, duration_limit_ms: null,
  };
}

describe("a run's code on the page", () => {
  it("reads HTTP 500 for an HTTP job and a bare exit code for a script, in English and Japanese", () => {
    expect(runCodeText({ job_kind: "http", exit_code: 500 }, en)).toBe("HTTP 500");
    expect(runCodeText({ job_kind: "http", exit_code: 500 }, ja)).toBe("HTTP 500");
    expect(runCodeText({ job_kind: "agent", exit_code: 2 }, en)).toBe("2");
    expect(runCodeText({ job_kind: "http", exit_code: null }, en)).toBe("—");
    expect(runCodeLabel(["http"], en)).toBe("HTTP status");
    expect(runCodeLabel(["http"], ja)).toBe("HTTPステータス");
    expect(runCodeLabel(["reported", "http"], ja)).toBe("終了コード / HTTPステータス");
    expect(runCodeLabel(["task"], en)).toBe("Exit code");
    expect(runCodeLabel([], en)).toBe("Exit code");
  });

  it("is what a run table shows", () => {
    const http = renderToStaticMarkup(createElement(RunTable, { runs: [run("http", 500)], t: en, timezone: "UTC", workspaceId: "w" }));
    expect(http).toContain("HTTP status");
    expect(http).toContain("HTTP 500");
    expect(http).not.toContain("Exit code");
    const script = renderToStaticMarkup(createElement(RunTable, { runs: [run("reported", 500)], t: ja, timezone: "UTC", workspaceId: "w" }));
    expect(script).toContain("終了コード");
    expect(script).not.toContain("HTTP");
  });

  it("is what a run's page shows", () => {
    const detail = {
      ...run("http", 502), workspace_id: "w", triggered_by: null, triggered_by_email: null, canceled_by_email: null, agent_id: null,
      agent_name: null, rerun_of: null, external_id: null, params: {}, scheduled_for: null, log: null, stages: null, current_stage: null,
      progress_percent: null, dispatch_error: null, params_schema: null,
    };
    const page = renderToStaticMarkup(createElement(RunFacts, { run: detail, renderedAt: new Date(), timezone: "UTC", t: ja }));
    expect(page).toContain("HTTPステータス");
    expect(page).toContain("HTTP 502");
    expect(page).not.toContain("終了コード");
  });
});
