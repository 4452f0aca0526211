import { statSync } from "node:fs";
import { formatDuration } from "../duration";
import { TailBuffer } from "../tail-buffer";
import type { AgentJob } from "./config";
import { type Env, runEnv } from "./params-env";
import { type TreeChild, killTree, spawnTree } from "./process-tree";

/** A run as the hub hands it out from claim. */
export type ClaimedRun = {
  run_id: string;
  job_key: string;
  params: Record<string, unknown>;
  timeout_seconds: number | null;
};

/** The body of `POST /api/agent/finish`. */
export type FinishBody = {
  run_id: string;
  exit_code: number | null;
  signal: string | null;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  stdout_tail: string;
  stderr_tail: string;
  message: string;
  error: string | null;
};

/** What finish carries of each stream; heartbeats carry less (HEARTBEAT_TAIL_BYTES). */
export const FINISH_TAIL_BYTES = 64 * 1024;
export const HEARTBEAT_TAIL_BYTES = 16 * 1024;

/** After the command exits, how long its output pipes may stay open (held by something it started). */
const PIPE_CLOSE_GRACE_MS = 1000;

export type StopReason = "timeout" | "cancel" | "stopped";

/** The hub keeps at most this much of a finish's `error`. */
const MAX_ERROR_CHARS = 2000;

/** A finish for a run the agent could not start at all. */
export function refusedFinish(runId: string, problem: string, at: Date = new Date()): FinishBody {
  const error = problem.length > MAX_ERROR_CHARS ? `${problem.slice(0, MAX_ERROR_CHARS - 1)}…` : problem;
  return {
    run_id: runId,
    exit_code: null,
    signal: null,
    started_at: at.toISOString(),
    finished_at: at.toISOString(),
    duration_ms: 0,
    stdout_tail: "",
    stderr_tail: "",
    message: error,
    error,
  };
}

/** The smaller of the config's timeout and the run's own, in milliseconds; null for none. */
export function effectiveTimeoutMs(job: AgentJob, run: Pick<ClaimedRun, "timeout_seconds">): number | null {
  const limits = [job.timeoutMs, run.timeout_seconds && run.timeout_seconds > 0 ? run.timeout_seconds * 1000 : undefined];
  const set = limits.filter((ms): ms is number => typeof ms === "number");
  return set.length ? Math.min(...set) : null;
}

function spawnProblem(program: string, cwd: string | undefined, error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT") return `command not found: ${program}`;
  if (error.code === "EACCES") return `permission denied: ${program}`;
  if (error.code === "EINVAL" && process.platform === "win32" && /\.(bat|cmd)$/i.test(program)) {
    return `a .bat or .cmd file needs cmd: use ["cmd", "/c", "${program}"] as the command`;
  }
  return `could not start ${program}${cwd ? ` in ${cwd}` : ""}: ${error.message}`;
}

/**
 * One claimed run's command: started without a shell, its output kept as tails (never passed
 * through), stopped as a tree on timeout, cancel or the agent's stop. `done` resolves to the
 * finish to send.
 */
export class ActiveRun {
  readonly runId: string;
  readonly jobKey: string;
  readonly done: Promise<FinishBody>;
  private readonly stdout = new TailBuffer(FINISH_TAIL_BYTES);
  private readonly stderr = new TailBuffer(FINISH_TAIL_BYTES);
  private child: TreeChild | null = null;
  private stopReason: StopReason | null = null;
  private killing: Promise<boolean> | null = null;
  private exited = false;
  private readonly killGraceMs: number;
  private readonly timeoutMs: number | null;

  constructor(run: ClaimedRun, job: AgentJob, context: { hubUrl: string; killGraceMs: number; baseEnv: Env }) {
    this.runId = run.run_id;
    this.jobKey = run.job_key;
    this.killGraceMs = context.killGraceMs;
    this.timeoutMs = effectiveTimeoutMs(job, run);
    this.done = this.start(run, job, context);
  }

  /** The latest output, for a heartbeat. */
  tails(limit = HEARTBEAT_TAIL_BYTES): { stdout_tail: string; stderr_tail: string } {
    return { stdout_tail: this.stdout.toString(limit), stderr_tail: this.stderr.toString(limit) };
  }

  /** Stops the command and what it started; the first reason given is the one reported. */
  stop(reason: StopReason, force = false): void {
    this.stopReason ??= reason;
    const child = this.child;
    if (!child || child.pid === undefined || this.exited) return;
    if (force) {
      void killTree(child.pid, { graceMs: 0, force: true });
      return;
    }
    this.killing ??= killTree(child.pid, { graceMs: this.killGraceMs });
  }

  private async start(run: ClaimedRun, job: AgentJob, context: { hubUrl: string; baseEnv: Env }): Promise<FinishBody> {
    const program = job.command[0];
    if (job.cwd) {
      let isDirectory = false;
      try {
        isDirectory = statSync(job.cwd).isDirectory();
      } catch {
        isDirectory = false;
      }
      if (!isDirectory) return refusedFinish(run.run_id, `working directory not found: ${job.cwd}`);
    }
    const env = runEnv({
      base: context.baseEnv,
      jobEnv: job.env,
      params: run.params,
      runId: run.run_id,
      jobKey: run.job_key,
      hubUrl: context.hubUrl,
    });
    const startedAt = new Date();
    let child: TreeChild;
    try {
      child = spawnTree(job.command, { cwd: job.cwd, env });
    } catch (error) {
      return refusedFinish(run.run_id, spawnProblem(program, job.cwd, error as NodeJS.ErrnoException), startedAt);
    }
    this.child = child;
    child.stdout.on("data", (chunk: Buffer) => this.stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk));
    const timer = this.timeoutMs === null ? null : setTimeout(() => this.stop("timeout"), this.timeoutMs);

    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { spawnError: string }>((resolve) => {
      child.once("error", (error: NodeJS.ErrnoException) => {
        // "error" also means a failed kill; only a command that never started ends here.
        if (child.pid === undefined) resolve({ spawnError: spawnProblem(program, job.cwd, error) });
      });
      child.once("exit", (code, signal) => {
        this.exited = true;
        // Wait for the pipes to drain, but not for a background process that holds them open.
        const closed = setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          resolve({ code, signal });
        }, PIPE_CLOSE_GRACE_MS);
        child.once("close", () => {
          clearTimeout(closed);
          resolve({ code, signal });
        });
      });
    });
    if (timer) clearTimeout(timer);
    if (this.killing) await this.killing;

    const finishedAt = new Date();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    if ("spawnError" in outcome) {
      return { ...refusedFinish(run.run_id, outcome.spawnError, finishedAt), started_at: startedAt.toISOString(), duration_ms: durationMs };
    }
    const { code, signal } = outcome;
    const ended = signal
      ? `terminated by signal ${signal}`
      : code === 0
        ? `completed in ${formatDuration(durationMs)}`
        : `exited with code ${code}`;
    let message = ended;
    let error: string | null = null;
    let exitCode = code ?? null;
    if (this.stopReason === "timeout") {
      message = `timed out after ${formatDuration(this.timeoutMs ?? durationMs)}`;
      exitCode = null;
    } else if (this.stopReason === "cancel") {
      message = `canceled; ${ended}`;
    } else if (this.stopReason === "stopped") {
      error = "the agent was stopped";
      message = `the agent was stopped; ${ended}`;
    }
    return {
      run_id: run.run_id,
      exit_code: exitCode,
      signal: signal ?? null,
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_ms: durationMs,
      stdout_tail: this.stdout.toString(),
      stderr_tail: this.stderr.toString(),
      message,
      error,
    };
  }
}
