import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseDuration } from "../duration";

/** The agent's own config: what each job key means on this machine. */
export type AgentJob = {
  command: [string, ...string[]];
  /** Absolute: a relative cwd in the file is taken from the config file's folder. */
  cwd?: string;
  env: Record<string, string>;
  timeoutMs?: number;
  title?: string;
};

export type AgentConfig = {
  hubUrl?: string;
  maxConcurrency: number;
  labels: string[];
  killGraceMs: number;
  jobs: Record<string, AgentJob>;
};

export class ConfigError extends Error {}

// The hub's limits on register (docs/agent-protocol.md), checked here for a clearer message.
const MAX_JOBS = 200;
const MAX_KEY_CHARS = 200;
const MAX_TITLE_CHARS = 200;
const MAX_LABELS = 20;
const MAX_LABEL_CHARS = 50;
const MAX_CONCURRENCY = 64;

const TOP_KEYS = ["hub_url", "max_concurrency", "labels", "kill_grace", "jobs"];
const JOB_KEYS = ["command", "cwd", "env", "timeout", "title"];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A duration string ("10s", "30m") or a number of seconds, in milliseconds; null if neither. */
function durationMs(value: unknown, allowZero: boolean): number | null {
  let ms: number | null = null;
  if (typeof value === "number" && Number.isFinite(value)) ms = Math.round(value * 1000);
  else if (typeof value === "string") ms = parseDuration(value);
  if (ms === null || ms < 0 || (!allowZero && ms === 0)) return null;
  return ms;
}

function parseJob(name: string, value: unknown, baseDir: string): AgentJob {
  const at = `jobs.${name}`;
  if (!isObject(value)) throw new ConfigError(`${at} must be an object with a command`);
  for (const key of Object.keys(value)) {
    if (!JOB_KEYS.includes(key)) throw new ConfigError(`${at} has an unknown key "${key}" (expected ${JOB_KEYS.join(", ")})`);
  }
  const { command, cwd, env, timeout, title } = value;
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === "string") || !command[0]) {
    throw new ConfigError(`${at}.command must be a non-empty array of strings`);
  }
  const job: AgentJob = { command: command as [string, ...string[]], env: {} };
  if (cwd !== undefined) {
    if (typeof cwd !== "string" || !cwd.trim()) throw new ConfigError(`${at}.cwd must be a non-empty string`);
    job.cwd = path.resolve(baseDir, cwd);
  }
  if (env !== undefined) {
    if (!isObject(env)) throw new ConfigError(`${at}.env must be an object of strings`);
    for (const [variable, text] of Object.entries(env)) {
      if (typeof text !== "string") throw new ConfigError(`${at}.env.${variable} must be a string`);
      job.env[variable] = text;
    }
  }
  if (timeout !== undefined) {
    const ms = durationMs(timeout, false);
    if (ms === null) throw new ConfigError(`${at}.timeout must be a duration like 30m or 1h, or a number of seconds`);
    job.timeoutMs = ms;
  }
  if (title !== undefined) {
    if (typeof title !== "string" || title.length > MAX_TITLE_CHARS) {
      throw new ConfigError(`${at}.title must be a string of at most ${MAX_TITLE_CHARS} characters`);
    }
    job.title = title;
  }
  return job;
}

/** Checks a parsed config; every refusal names the field, e.g. `jobs.nightly-report.command …`. */
export function parseAgentConfig(value: unknown, baseDir: string): AgentConfig {
  if (!isObject(value)) throw new ConfigError("the config must be a JSON object");
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.includes(key)) throw new ConfigError(`unknown key "${key}" (expected ${TOP_KEYS.join(", ")})`);
  }
  const config: AgentConfig = { maxConcurrency: 1, labels: [], killGraceMs: 10_000, jobs: {} };

  if (value.hub_url !== undefined) {
    let isUrl = typeof value.hub_url === "string" && /^https?:\/\/[^/]/.test(value.hub_url);
    if (isUrl) {
      try {
        new URL(value.hub_url as string);
      } catch {
        isUrl = false;
      }
    }
    if (!isUrl) throw new ConfigError("hub_url must be a URL starting with http:// or https://");
    config.hubUrl = value.hub_url as string;
  }
  if (value.max_concurrency !== undefined) {
    const n = value.max_concurrency;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new ConfigError("max_concurrency must be an integer of at least 1");
    if (n > MAX_CONCURRENCY) throw new ConfigError(`max_concurrency must be at most ${MAX_CONCURRENCY}`);
    config.maxConcurrency = n;
  }
  if (value.labels !== undefined) {
    const labels = value.labels;
    if (!Array.isArray(labels) || labels.length > MAX_LABELS || !labels.every((label) => typeof label === "string" && label.trim())) {
      throw new ConfigError(`labels must be an array of at most ${MAX_LABELS} non-empty strings`);
    }
    const long = (labels as string[]).findIndex((label) => label.trim().length > MAX_LABEL_CHARS);
    if (long !== -1) throw new ConfigError(`labels[${long}] must be at most ${MAX_LABEL_CHARS} characters`);
    config.labels = (labels as string[]).map((label) => label.trim());
  }
  if (value.kill_grace !== undefined) {
    const ms = durationMs(value.kill_grace, true);
    if (ms === null) throw new ConfigError("kill_grace must be a duration like 10s or 500ms, or a number of seconds");
    config.killGraceMs = ms;
  }

  if (value.jobs === undefined) throw new ConfigError("jobs is required: an object of job keys, each with a command");
  if (!isObject(value.jobs)) throw new ConfigError("jobs must be an object of job keys, each with a command");
  const names = Object.keys(value.jobs);
  if (names.length === 0) throw new ConfigError("jobs must declare at least one job");
  if (names.length > MAX_JOBS) throw new ConfigError(`jobs may declare at most ${MAX_JOBS} jobs (found ${names.length})`);
  for (const name of names) {
    if (!name.trim() || name.length > MAX_KEY_CHARS) throw new ConfigError(`job key "${name}" must be 1–${MAX_KEY_CHARS} characters`);
    if (name !== name.trim()) throw new ConfigError(`job key "${name}" must not start or end with spaces`);
    config.jobs[name] = parseJob(name, value.jobs[name], baseDir);
  }
  return config;
}

/** Reads and checks the config file; a ConfigError's message names the file and the problem. */
export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new ConfigError(`cannot read the config file ${absolute} (${reason})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(`the config file ${absolute} is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseAgentConfig(parsed, path.dirname(absolute));
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${absolute}: ${error.message}`);
    throw error;
  }
}
