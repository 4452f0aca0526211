import { randomUUID } from "node:crypto";
import { ConfigError, loadAgentConfig } from "./agent/config";
import { Agent } from "./agent/loop";
import { helpFor } from "./help";
import { REPORT_PATH, hubBaseUrl } from "./http";
import { deliver, deliveryWarning, replayBeforeReporting } from "./hub";
import { type AgentOptions, type SpoolOptions, UsageError, checkHubUrl, parseCommand } from "./options";
import { runCommand } from "./run-command";
import { entriesFor, listSpool, replaySpool, spoolStatus } from "./spool";
import { VERSION, ownChecksumLine } from "./version";

const warn = (text: string) => process.stderr.write(`jobboard: ${text}\n`);

/** Runs the CLI and resolves to the process's exit status (or re-raises the child's signal). */
export async function main(argv: string[]): Promise<void> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`jobboard: ${error.message}\nRun "jobboard --help" for usage.\n`);
    process.exitCode = 2;
    return;
  }

  switch (command.kind) {
    case "help":
      process.stdout.write(helpFor(command.topic));
      return;
    case "version":
      process.stdout.write(`jobboard ${VERSION}\n${await ownChecksumLine()}`);
      return;
    case "report": {
      const { options } = command;
      await replayBeforeReporting(options, warn);
      // Always a run id, so a report that reached the hub unanswered and is replayed counts once.
      const delivery = await deliver(options, REPORT_PATH, {
        job_key: options.jobKey!,
        // As `jobboard run`: no title unless given, so an existing job keeps its own.
        ...(options.title !== undefined ? { title: options.title } : {}),
        run_id: options.runId ?? randomUUID(),
        status: command.status,
        finished_at: new Date().toISOString(),
        ...(command.message !== undefined ? { message: command.message } : {}),
        ...(command.exitCode !== undefined ? { exit_code: command.exitCode } : {}),
        ...(options.tags.length ? { tags: options.tags } : {}),
      });
      const warning = deliveryWarning(delivery, "report");
      if (warning) warn(warning);
      // A spooled report is on its way; only a refused or lost one is a failure.
      if (delivery.kind === "refused" || delivery.kind === "lost") process.exitCode = 1;
      return;
    }
    case "run": {
      const outcome = await runCommand(command.options, command.command);
      if (outcome.signal) {
        // Exit as the child did: by the same signal, so a calling shell sees 130 for Ctrl+C.
        process.removeAllListeners(outcome.signal);
        process.kill(process.pid, outcome.signal);
        return;
      }
      process.exitCode = outcome.exitCode;
      return;
    }
    case "agent":
      process.exitCode = await runAgent(command.options);
      return;
    case "spool":
      process.exitCode = command.action === "status" ? await showSpool(command.options) : await flushSpool(command.options);
      return;
  }
}

async function runAgent(options: AgentOptions): Promise<number> {
  let config;
  try {
    config = await loadAgentConfig(options.configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`jobboard agent: ${error.message}\n`);
    return 2;
  }
  let hubUrl: string;
  try {
    hubUrl = hubBaseUrl(checkHubUrl(options.hubUrl ?? config.hubUrl ?? "http://localhost:3000"));
  } catch (error) {
    process.stderr.write(`jobboard agent: ${(error as Error).message}\n`);
    return 2;
  }
  const agent = new Agent({
    config,
    hubUrl,
    token: options.token,
    hubTimeoutMs: options.hubTimeoutMs,
    spoolDir: options.spoolDir,
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  return agent.run();
}

async function showSpool(options: SpoolOptions): Promise<number> {
  const status = await spoolStatus(options.spoolDir, options.hubUrl, options.tokens);
  const lines = [`spool: ${status.dir}`];
  if (status.hubs.length === 0) lines.push("nothing waiting");
  for (const hub of status.hubs) {
    const mine = hub.hubUrl === hubBaseUrl(options.hubUrl) ? ` (${hub.matching} with this token)` : "";
    lines.push(`${hub.count} waiting for ${hub.hubUrl}${mine}, oldest spooled ${hub.oldest}`);
  }
  if (status.unreadable) lines.push(`${status.unreadable} unreadable file(s), moved to rejected/ by the next replay`);
  if (status.rejected) lines.push(`${status.rejected} refused by the hub, kept in ${status.dir}/rejected`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

async function flushSpool(options: SpoolOptions): Promise<number> {
  const result = await replaySpool({
    dir: options.spoolDir,
    hubUrl: options.hubUrl,
    tokens: options.tokens,
    requestTimeoutMs: Math.max(options.hubTimeoutMs, 10_000),
    warn,
  });
  const { entries } = await listSpool(options.spoolDir);
  const left = entriesFor(entries, options.hubUrl, options.tokens).length;
  const parts = [`sent ${result.sent}`];
  if (result.rejected) parts.push(`${result.rejected} refused (moved to rejected/)`);
  parts.push(`${left} still waiting for ${hubBaseUrl(options.hubUrl)}`);
  process.stdout.write(`${parts.join(", ")}${result.problem ? ` (the hub: ${result.problem})` : ""}\n`);
  return left === 0 ? 0 : 1;
}
