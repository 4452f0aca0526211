import { parseArgs } from "node:util";
import { parseDuration } from "./duration";
import { defaultSpoolDir } from "./spool";

export class UsageError extends Error {}

export type HubOptions = {
  hubUrl: string;
  token?: string;
  /** The cap on trying one report before it goes to the spool. */
  hubTimeoutMs: number;
  spoolDir: string;
};

export type JobOptions = HubOptions & {
  /** JOBBOARD_RUN_ID: the run an agent claimed, so the command's reports pair with it. */
  runId?: string;
  jobKey?: string;
  title?: string;
  tags: string[];
  slackWebhook?: string;
  slackTimeoutMs: number;
};

export type HelpTopic = "run" | "report" | "agent" | "spool";

export type AgentOptions = {
  configPath: string;
  /** From --hub-url or JOBBOARD_HUB_URL; the config's hub_url comes after both. */
  hubUrl?: string;
  token: string;
  hubTimeoutMs: number;
  spoolDir: string;
};

export type SpoolOptions = {
  hubUrl: string;
  /** Every token this invocation knows: entries are replayed with the one they were made with. */
  tokens: Array<string | undefined>;
  hubTimeoutMs: number;
  spoolDir: string;
};

export type Command =
  | { kind: "help"; topic?: HelpTopic }
  | { kind: "version" }
  | { kind: "run"; options: JobOptions; command: string[] }
  | { kind: "report"; options: JobOptions; status: "success" | "error"; message?: string; exitCode?: number }
  | { kind: "agent"; options: AgentOptions }
  | { kind: "spool"; action: "status" | "flush"; options: SpoolOptions };

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

type Values = Record<string, string | string[] | boolean | undefined>;

const DEFAULT_HUB_URL = "http://localhost:3000";
const DEFAULT_HUB_TIMEOUT = "3s";

export function checkHubUrl(hubUrl: string, what = "--hub-url"): string {
  const problem = new UsageError(`${what} must start with http:// or https:// (got "${hubUrl}")`);
  if (!/^https?:\/\/[^/]/.test(hubUrl)) throw problem;
  try {
    new URL(hubUrl);
  } catch {
    throw problem;
  }
  return hubUrl;
}

function hubTimeout(values: Values, env: Env): number {
  return duration("--hub-timeout", (values["hub-timeout"] as string | undefined) ?? firstSet(env, "JOBBOARD_HUB_TIMEOUT") ?? DEFAULT_HUB_TIMEOUT);
}

const reportToken = (values: Values, env: Env) =>
  (values.token as string | undefined) ??
  (values["node-token"] as string | undefined) ??
  firstSet(env, "JOBBOARD_TOKEN", "JOBBOARD_NODE_TOKEN", "TC_PORTAL_WEBHOOK_SECRET");

function jobOptions(values: Values, env: Env): JobOptions {
  const get = (name: string) => values[name] as string | undefined;
  const slackTimeout = get("slack-timeout") ?? firstSet(env, "JOBBOARD_SLACK_TIMEOUT") ?? "10s";
  const hubUrl = checkHubUrl(get("hub-url") ?? firstSet(env, "JOBBOARD_HUB_URL", "TC_PORTAL_MONITOR_URL") ?? DEFAULT_HUB_URL);
  return {
    hubUrl,
    token: reportToken(values, env),
    hubTimeoutMs: hubTimeout(values, env),
    spoolDir: defaultSpoolDir(env),
    runId: firstSet(env, "JOBBOARD_RUN_ID"),
    jobKey: get("job-key") ?? firstSet(env, "JOBBOARD_JOB_KEY", "TC_PORTAL_JOB_KEY"),
    title: get("title") ?? firstSet(env, "JOBBOARD_JOB_TITLE", "TC_PORTAL_JOB_TITLE"),
    tags: (values.tag as string[] | undefined) ?? [],
    slackWebhook: get("slack-webhook") ?? firstSet(env, "JOBBOARD_SLACK_WEBHOOK"),
    slackTimeoutMs: duration("--slack-timeout", slackTimeout),
  };
}

type Parsed = { values: Values; positionals: string[] };

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
    return { kind: "help", topic: topic === "run" || topic === "report" || topic === "agent" || topic === "spool" ? topic : undefined };
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

  if (subcommand === "agent") {
    const { values, positionals } = parse(rest, {
      config: { type: "string", short: "c" },
      "hub-url": { type: "string" },
      token: { type: "string" },
      "hub-timeout": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) return { kind: "help", topic: "agent" };
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const configPath = values.config as string | undefined;
    if (!configPath) throw new UsageError("jobboard agent needs --config <file>");
    const hubUrl = (values["hub-url"] as string | undefined) ?? firstSet(env, "JOBBOARD_HUB_URL");
    const token = (values.token as string | undefined)?.trim() || firstSet(env, "JOBBOARD_AGENT_TOKEN");
    if (!token) {
      throw new UsageError("jobboard agent needs an agent token: pass --token jba_… or set JOBBOARD_AGENT_TOKEN (make one in Settings → Agents)");
    }
    if (!token.startsWith("jba_")) {
      throw new UsageError(
        `the agent token must start with "jba_"${token.startsWith("jb_") ? " (a jb_… key is an ingest key, for reports)" : ""}; make one in Settings → Agents`,
      );
    }
    return {
      kind: "agent",
      options: {
        configPath,
        hubUrl: hubUrl === undefined ? undefined : checkHubUrl(hubUrl),
        token,
        hubTimeoutMs: hubTimeout(values, env),
        spoolDir: defaultSpoolDir(env),
      },
    };
  }

  if (subcommand === "spool") {
    const [action, ...flags] = rest;
    if (action === "--help" || action === "-h" || action === "help") return { kind: "help", topic: "spool" };
    if (action !== "status" && action !== "flush") throw new UsageError('use "jobboard spool status" or "jobboard spool flush"');
    const { values, positionals } = parse(flags, {
      "hub-url": { type: "string" },
      token: { type: "string", multiple: true },
      "hub-timeout": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) return { kind: "help", topic: "spool" };
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const hubUrl = checkHubUrl(
      (values["hub-url"] as string | undefined) ?? firstSet(env, "JOBBOARD_HUB_URL", "TC_PORTAL_MONITOR_URL") ?? DEFAULT_HUB_URL,
    );
    const tokens: Array<string | undefined> = [
      ...((values.token as string[] | undefined) ?? []),
      firstSet(env, "JOBBOARD_TOKEN", "JOBBOARD_NODE_TOKEN", "TC_PORTAL_WEBHOOK_SECRET"),
      firstSet(env, "JOBBOARD_AGENT_TOKEN"),
    ].filter((token): token is string => !!token);
    // Entries made without any token are replayed the same way.
    if (tokens.length === 0) tokens.push(undefined);
    return { kind: "spool", action, options: { hubUrl, tokens, hubTimeoutMs: hubTimeout(values, env), spoolDir: defaultSpoolDir(env) } };
  }

  throw new UsageError(`unknown command "${subcommand}"; use "jobboard run", "report", "agent" or "spool"`);
}
