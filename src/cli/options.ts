import { parseArgs } from "node:util";
import { parseDuration } from "./duration";

export class UsageError extends Error {}

export type HubOptions = {
  hubUrl: string;
  token?: string;
  hubTimeoutMs: number;
};

export type JobOptions = HubOptions & {
  jobKey?: string;
  title?: string;
  tags: string[];
  slackWebhook?: string;
  slackTimeoutMs: number;
};

export type Command =
  | { kind: "help"; topic?: "run" | "report" }
  | { kind: "version" }
  | { kind: "run"; options: JobOptions; command: string[] }
  | { kind: "report"; options: JobOptions; status: "success" | "error"; message?: string; exitCode?: number };

type Env = Record<string, string | undefined>;

const firstSet = (env: Env, ...names: string[]) => names.map((name) => env[name]?.trim()).find((value) => value);

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`${flag} must be a duration like 60s, 500ms or 2m (got "${text}")`);
  return ms;
}

const shared = {
  "job-key": { type: "string" },
  title: { type: "string" },
  tag: { type: "string", multiple: true },
  "hub-url": { type: "string" },
  token: { type: "string" },
  "node-token": { type: "string" },
  "slack-webhook": { type: "string" },
  "hub-timeout": { type: "string" },
  "slack-timeout": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function jobOptions(values: Record<string, string | string[] | boolean | undefined>, env: Env): JobOptions {
  const get = (name: string) => values[name] as string | undefined;
  const hubTimeout = get("hub-timeout") ?? firstSet(env, "JOBBOARD_HUB_TIMEOUT") ?? "60s";
  const slackTimeout = get("slack-timeout") ?? firstSet(env, "JOBBOARD_SLACK_TIMEOUT") ?? "10s";
  const hubUrl = get("hub-url") ?? firstSet(env, "JOBBOARD_HUB_URL", "TC_PORTAL_MONITOR_URL") ?? "http://localhost:3000";
  if (!/^https?:\/\//.test(hubUrl)) throw new UsageError(`--hub-url must start with http:// or https:// (got "${hubUrl}")`);
  return {
    hubUrl,
    token: get("token") ?? get("node-token") ?? firstSet(env, "JOBBOARD_TOKEN", "JOBBOARD_NODE_TOKEN", "TC_PORTAL_WEBHOOK_SECRET"),
    hubTimeoutMs: duration("--hub-timeout", hubTimeout),
    jobKey: get("job-key") ?? firstSet(env, "JOBBOARD_JOB_KEY", "TC_PORTAL_JOB_KEY"),
    title: get("title") ?? firstSet(env, "JOBBOARD_JOB_TITLE", "TC_PORTAL_JOB_TITLE"),
    tags: (values.tag as string[] | undefined) ?? [],
    slackWebhook: get("slack-webhook") ?? firstSet(env, "JOBBOARD_SLACK_WEBHOOK"),
    slackTimeoutMs: duration("--slack-timeout", slackTimeout),
  };
}

type Parsed = { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] };

function parse(args: string[], options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>): Parsed {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true }) as Parsed;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** Reads `jobboard …` arguments (flags first, then `--` and the command for `run`). */
export function parseCommand(argv: string[], env: Env = process.env): Command {
  const [subcommand, ...rest] = argv;
  if (!subcommand || subcommand === "help" || subcommand === "--help" || subcommand === "-h") {
    const topic = rest[0];
    return { kind: "help", topic: topic === "run" || topic === "report" ? topic : undefined };
  }
  if (subcommand === "--version" || subcommand === "version") return { kind: "version" };

  if (subcommand === "run") {
    const separator = rest.indexOf("--");
    const flags = separator === -1 ? rest : rest.slice(0, separator);
    const { values, positionals } = parse(flags, shared);
    if (values.help) return { kind: "help", topic: "run" };
    const command = separator === -1 ? [] : rest.slice(separator + 1);
    if (positionals.length > 0) {
      throw new UsageError(`put the command after "--", e.g. jobboard run -- ${positionals.join(" ")}`);
    }
    if (command.length === 0) throw new UsageError('jobboard run needs a command after "--"');
    return { kind: "run", options: jobOptions(values, env), command };
  }

  if (subcommand === "report") {
    const { values, positionals } = parse(rest, {
      ...shared,
      status: { type: "string" },
      message: { type: "string" },
      "exit-code": { type: "string" },
    });
    if (values.help) return { kind: "help", topic: "report" };
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const status = values.status as string | undefined;
    if (status !== "success" && status !== "error") throw new UsageError("--status must be success or error");
    const exitCodeText = values["exit-code"] as string | undefined;
    const exitCode = exitCodeText === undefined ? undefined : Number(exitCodeText);
    if (exitCode !== undefined && !Number.isInteger(exitCode)) throw new UsageError("--exit-code must be an integer");
    const options = jobOptions(values, env);
    if (!options.jobKey) throw new UsageError("jobboard report needs --job-key (or JOBBOARD_JOB_KEY)");
    return { kind: "report", options, status, message: values.message as string | undefined, exitCode };
  }

  throw new UsageError(`unknown command "${subcommand}"; use "jobboard run" or "jobboard report"`);
}
