import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { constants as osConstants } from "node:os";
import path from "node:path";
import { formatDuration } from "./duration";
import { REPORT_PATH } from "./http";
import { deliver, deliveryWarning, replayBeforeReporting, sendStart } from "./hub";
import type { JobOptions } from "./options";
import { postToSlack, slackSummary } from "./slack";
import { TailBuffer } from "./tail-buffer";

// The same limit the report API keeps; sending more would only be cut there.
const TAIL_BYTES = 64 * 1024;

export type Outcome = { exitCode: number; signal: NodeJS.Signals | null };

const warn = (text: string) => process.stderr.write(`jobboard: ${text}\n`);

/**
 * `jobboard run`: replays the spool and reports the start while the command runs with its output
 * passed through, forwards SIGINT/SIGTERM, reports (or spools) the finish, and answers with the
 * command's own outcome.
 */
export async function runCommand(options: JobOptions, command: string[]): Promise<Outcome> {
  const [program, ...args] = command as [string, ...string[]];
  const jobKey = options.jobKey ?? path.basename(program);
  const runId = options.runId ?? randomUUID();
  const host = hostname();
  const startedAt = new Date();
  // A title only when one is given: the hub titles a new job by its key, and an existing job
  // keeps the title it has rather than being renamed to its key.
  const common = {
    job_key: jobKey,
    ...(options.title !== undefined ? { title: options.title } : {}),
    run_id: runId,
    host,
    ...(options.tags.length ? { tags: options.tags } : {}),
  };

  // Older spooled reports, then the start, go out while the command runs: a slow hub must not
  // delay the job. Once the command has ended the start is no longer worth waiting for.
  const startAbandoned = new AbortController();
  const startReport = (async () => {
    await replayBeforeReporting(options, warn);
    if (startAbandoned.signal.aborted) return null;
    return sendStart(options, { ...common, event: "start", started_at: startedAt.toISOString() }, startAbandoned.signal);
  })();

  const stderrTail = new TailBuffer(TAIL_BYTES);
  const stdoutTail = new TailBuffer(TAIL_BYTES);
  const child = spawn(program, args, { stdio: ["inherit", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    stdoutTail.push(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail.push(chunk);
  });

  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);

  const outcome = await new Promise<Outcome & { spawnError?: string }>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      const reason = error.code === "ENOENT" ? `command not found: ${program}` : `could not start ${program}: ${error.message}`;
      resolve({ exitCode: error.code === "ENOENT" ? 127 : 126, signal: null, spawnError: reason });
    });
    child.once("close", (code, signal) => {
      const signalNumber = signal ? (osConstants.signals[signal] ?? 0) : 0;
      resolve({ exitCode: code ?? 128 + signalNumber, signal });
    });
  });
  process.off("SIGINT", onInt);
  process.off("SIGTERM", onTerm);

  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - startedAt.getTime();
  const isSuccess = outcome.exitCode === 0 && !outcome.signal;
  if (outcome.spawnError) {
    warn(outcome.spawnError);
    stderrTail.push(Buffer.from(`${outcome.spawnError}\n`));
  }
  const message = outcome.spawnError
    ? outcome.spawnError
    : outcome.signal
      ? `terminated by signal ${outcome.signal}`
      : isSuccess
        ? `completed in ${formatDuration(durationMs)}`
        : `exited with code ${outcome.exitCode}`;

  startAbandoned.abort();
  await startReport;
  const finish = await deliver(options, REPORT_PATH, {
    ...common,
    event: "finish",
    status: isSuccess ? "success" : "error",
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: durationMs,
    exit_code: outcome.exitCode,
    message,
    stderr: stderrTail.toString(),
    log: stdoutTail.toString(),
  });
  // A lost start is repaired by the finish, which records a complete run on its own; a finish
  // that was refused or had to wait in the spool is what the user must hear about.
  const finishWarning = deliveryWarning(finish, "finish report");
  if (finishWarning) warn(finishWarning);

  if (options.slackWebhook) {
    const summary = slackSummary({
      title: options.title ?? jobKey,
      jobKey,
      isSuccess,
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      durationMs,
      host,
      tags: options.tags,
      stderrTail: stderrTail.toString(),
    });
    const slackWarning = await postToSlack(options.slackWebhook, summary, options.slackTimeoutMs);
    if (slackWarning) warn(slackWarning);
  }
  return { exitCode: outcome.exitCode, signal: outcome.signal };
}
