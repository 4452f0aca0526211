import { describe, expect, it } from "vitest";
import { paramEnvName, paramsEnv, runEnv } from "@/cli/agent/params-env";

describe("parameters as environment variables", () => {
  it("upper-cases each key and turns anything but letters and digits into _", () => {
    expect(paramEnvName("date")).toBe("JOBBOARD_PARAM_DATE");
    expect(paramEnvName("dry-run")).toBe("JOBBOARD_PARAM_DRY_RUN");
    expect(paramEnvName("batch.size 2")).toBe("JOBBOARD_PARAM_BATCH_SIZE_2");
    expect(paramEnvName("日付")).toBe("JOBBOARD_PARAM___");
  });

  it("passes strings as they are and everything else as JSON, with the whole object in JOBBOARD_PARAMS", () => {
    const params = { date: "2026-12-01", limit: 50, "dry-run": true, tags: ["a", "b"], options: { deep: 1 }, note: null, quote: "it's $HOME; rm -rf /" };
    expect(paramsEnv(params)).toEqual({
      JOBBOARD_PARAMS: JSON.stringify(params),
      JOBBOARD_PARAM_DATE: "2026-12-01",
      JOBBOARD_PARAM_LIMIT: "50",
      JOBBOARD_PARAM_DRY_RUN: "true",
      JOBBOARD_PARAM_TAGS: '["a","b"]',
      JOBBOARD_PARAM_OPTIONS: '{"deep":1}',
      JOBBOARD_PARAM_NOTE: "null",
      JOBBOARD_PARAM_QUOTE: "it's $HOME; rm -rf /",
    });
    expect(paramsEnv({})).toEqual({ JOBBOARD_PARAMS: "{}" });
  });

  it("layers the agent's environment, the job's env, the parameters and the run's own variables", () => {
    const env = runEnv({
      base: { PATH: "/usr/bin", REGION: "us", JOBBOARD_AGENT_TOKEN: "jba_secret", JOBBOARD_PARAM_OLD: "stale", JOBBOARD_RUN_ID: "old", UNSET: undefined },
      jobEnv: { REGION: "ap-northeast-1", JOBBOARD_JOB_KEY: "overridden" },
      params: { date: "2026-12-01" },
      runId: "run-1",
      jobKey: "nightly-report",
      hubUrl: "https://jobs.example.com",
      platform: "linux",
    });
    expect(env).toEqual({
      PATH: "/usr/bin",
      REGION: "ap-northeast-1",
      JOBBOARD_PARAMS: '{"date":"2026-12-01"}',
      JOBBOARD_PARAM_DATE: "2026-12-01",
      JOBBOARD_RUN_ID: "run-1",
      JOBBOARD_JOB_KEY: "nightly-report",
      JOBBOARD_HUB_URL: "https://jobs.example.com",
    });
  });

  it("treats names case-insensitively on Windows", () => {
    const env = runEnv({
      base: { Path: "C:\\Windows", jobboard_run_id: "old" },
      jobEnv: { PATH: "C:\\Python312;C:\\Windows" },
      params: {},
      runId: "run-1",
      jobKey: "k",
      hubUrl: "https://jobs.example.com",
      platform: "win32",
    });
    expect(env.Path).toBeUndefined();
    expect(env.PATH).toBe("C:\\Python312;C:\\Windows");
    expect(env.jobboard_run_id).toBeUndefined();
    expect(env.JOBBOARD_RUN_ID).toBe("run-1");
  });
});
