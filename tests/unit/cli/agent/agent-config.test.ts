import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadAgentConfig, parseAgentConfig } from "@/cli/agent/config";
import { effectiveTimeoutMs } from "@/cli/agent/run";

const BASE = path.resolve("/srv/agent");
const job = { command: ["python", "report.py"] };

describe("the agent's config", () => {
  it("fills in the defaults and resolves a relative cwd from the config's folder", () => {
    const config = parseAgentConfig(
      {
        hub_url: "https://jobs.example.com",
        labels: ["gpu"],
        jobs: { "nightly-report": { ...job, cwd: "scripts", env: { REGION: "ap-northeast-1" }, timeout: "30m", title: "Nightly report" }, train: { command: ["./train.sh"], timeout: 90 } },
      },
      BASE,
    );
    expect(config).toEqual({
      hubUrl: "https://jobs.example.com",
      maxConcurrency: 1,
      labels: ["gpu"],
      killGraceMs: 10_000,
      jobs: {
        "nightly-report": {
          command: ["python", "report.py"],
          cwd: path.join(BASE, "scripts"),
          env: { REGION: "ap-northeast-1" },
          timeoutMs: 1_800_000,
          title: "Nightly report",
        },
        train: { command: ["./train.sh"], env: {}, timeoutMs: 90_000 },
      },
    });
    expect(parseAgentConfig({ max_concurrency: 4, kill_grace: "0s", jobs: { a: job } }, BASE)).toMatchObject({ maxConcurrency: 4, killGraceMs: 0 });
  });

  it.each<[string, unknown, string]>([
    ["not an object", [], "the config must be a JSON object"],
    ["an unknown top-level key", { jobs: { a: job }, concurrency: 2 }, 'unknown key "concurrency" (expected hub_url, max_concurrency, labels, kill_grace, jobs)'],
    ["no jobs", { max_concurrency: 1 }, "jobs is required: an object of job keys, each with a command"],
    ["jobs as a list", { jobs: [job] }, "jobs must be an object of job keys, each with a command"],
    ["no job at all", { jobs: {} }, "jobs must declare at least one job"],
    ["an empty command", { jobs: { "nightly-report": { command: [] } } }, "jobs.nightly-report.command must be a non-empty array of strings"],
    ["a command string", { jobs: { "nightly-report": { command: "python report.py" } } }, "jobs.nightly-report.command must be a non-empty array of strings"],
    ["a non-string argument", { jobs: { "nightly-report": { command: ["python", 3] } } }, "jobs.nightly-report.command must be a non-empty array of strings"],
    ["an empty program", { jobs: { k: { command: [""] } } }, "jobs.k.command must be a non-empty array of strings"],
    ["a job that is not an object", { jobs: { k: ["python"] } }, "jobs.k must be an object with a command"],
    ["an unknown job key", { jobs: { k: { ...job, cmd: "x" } } }, 'jobs.k has an unknown key "cmd" (expected command, cwd, env, timeout, title)'],
    ["a non-string env value", { jobs: { k: { ...job, env: { PORT: 8080 } } } }, "jobs.k.env.PORT must be a string"],
    ["env as a list", { jobs: { k: { ...job, env: ["A=1"] } } }, "jobs.k.env must be an object of strings"],
    ["an unreadable timeout", { jobs: { k: { ...job, timeout: "soon" } } }, "jobs.k.timeout must be a duration like 30m or 1h, or a number of seconds"],
    ["a zero timeout", { jobs: { k: { ...job, timeout: 0 } } }, "jobs.k.timeout must be a duration like 30m or 1h, or a number of seconds"],
    ["an empty cwd", { jobs: { k: { ...job, cwd: " " } } }, "jobs.k.cwd must be a non-empty string"],
    ["a long title", { jobs: { k: { ...job, title: "t".repeat(201) } } }, "jobs.k.title must be a string of at most 200 characters"],
    ["a long job key", { jobs: { ["k".repeat(201)]: job } }, `job key "${"k".repeat(201)}" must be 1–200 characters`],
    ["zero concurrency", { max_concurrency: 0, jobs: { a: job } }, "max_concurrency must be an integer of at least 1"],
    ["fractional concurrency", { max_concurrency: 1.5, jobs: { a: job } }, "max_concurrency must be an integer of at least 1"],
    ["more concurrency than the hub allows", { max_concurrency: 65, jobs: { a: job } }, "max_concurrency must be at most 64"],
    ["a long label", { labels: ["gpu", "l".repeat(51)], jobs: { a: job } }, "labels[1] must be at most 50 characters"],
    ["a job key with spaces around it", { jobs: { " k": job } }, 'job key " k" must not start or end with spaces'],
    ["labels as a string", { labels: "gpu", jobs: { a: job } }, "labels must be an array of at most 20 non-empty strings"],
    ["a bad kill_grace", { kill_grace: "-1s", jobs: { a: job } }, "kill_grace must be a duration like 10s or 500ms, or a number of seconds"],
    ["a hub_url without a scheme", { hub_url: "jobs.example.com", jobs: { a: job } }, "hub_url must be a URL starting with http:// or https://"],
  ])("refuses %s", (_name, value, message) => {
    expect(() => parseAgentConfig(value, BASE)).toThrow(ConfigError);
    expect(() => parseAgentConfig(value, BASE)).toThrow(new ConfigError(message));
  });

  it("takes the smaller of the config's timeout and the run's own", () => {
    expect(effectiveTimeoutMs({ command: ["x"], env: {}, timeoutMs: 60_000 }, { timeout_seconds: 1800 })).toBe(60_000);
    expect(effectiveTimeoutMs({ command: ["x"], env: {}, timeoutMs: 3_600_000 }, { timeout_seconds: 1800 })).toBe(1_800_000);
    expect(effectiveTimeoutMs({ command: ["x"], env: {} }, { timeout_seconds: null })).toBeNull();
  });
});

describe("the agent's config file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "jobboard-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("names the file and the field that is wrong", async () => {
    const file = path.join(dir, "agent.json");
    await writeFile(file, JSON.stringify({ jobs: { "nightly-report": { command: [] } } }));
    await expect(loadAgentConfig(file)).rejects.toThrow(new ConfigError(`${file}: jobs.nightly-report.command must be a non-empty array of strings`));
  });

  it("says when the file is missing or is not JSON", async () => {
    const missing = path.join(dir, "missing.json");
    await expect(loadAgentConfig(missing)).rejects.toThrow(new ConfigError(`cannot read the config file ${missing} (no such file)`));
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, '{"jobs": ');
    await expect(loadAgentConfig(broken)).rejects.toThrow(`the config file ${broken} is not valid JSON (`);
  });

  it("reads a file saved with a byte-order mark, as Notepad saves it", async () => {
    const file = path.join(dir, "bom.json");
    await writeFile(file, `\uFEFF${JSON.stringify({ jobs: { a: { command: ["cmd", "/c", "run.bat"], cwd: "." } } })}`);
    expect((await loadAgentConfig(file)).jobs.a).toEqual({ command: ["cmd", "/c", "run.bat"], cwd: dir, env: {} });
  });
});
