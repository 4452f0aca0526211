import type { Sql } from "../db/sql";
import { alertsQueued } from "../notify/notifier";
import { sleep } from "../tasks/registry";
import { executeAttempt } from "./attempt";
import { retryDelaySeconds } from "./backoff";
import type { AttemptOutcome } from "./outcome";
import { claimRun, finishRun, type Claim, type FinishedRun } from "./store";

export type RunLoopOptions = {
  /** Waits between attempts; tests pass a fast one. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
};

export type RunLoopResult = { claim: Claim; finished: FinishedRun | null; attempts: number };

/** Whether another attempt is worth making after `outcome`. */
export function shouldRetry(outcome: AttemptOutcome, attempt: number, maxRetries: number): boolean {
  return outcome.status !== "succeeded" && outcome.status !== "canceled" && outcome.isRetryable && attempt <= maxRetries;
}

/**
 * Executes a queued run in this process: claim, attempts with backoff up to the job's retries,
 * record, then hand its alert to the notifier. The same steps the Inngest function runs durably,
 * for the embedded default.
 */
export async function executeRunInline(sql: Sql, runId: string, options: RunLoopOptions = {}): Promise<RunLoopResult> {
  const claim = await claimRun(sql, runId);
  if (claim.kind !== "claimed") return { claim, finished: null, attempts: 0 };
  const { run } = claim;
  const signal = options.signal ?? new AbortController().signal;
  const wait = options.wait ?? sleep;
  let attempt = 1;
  let outcome = await executeAttempt(sql, run, attempt, signal);
  while (shouldRetry(outcome, attempt, run.job.max_retries)) {
    try {
      await wait(retryDelaySeconds(attempt) * 1000, signal);
    } catch {
      break;
    }
    attempt++;
    outcome = await executeAttempt(sql, run, attempt, signal);
  }
  const finished = await finishRun(sql, run, outcome);
  if (finished?.alertQueued) alertsQueued(sql);
  return { claim, finished, attempts: attempt };
}
