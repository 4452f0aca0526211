import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { readHttpSecretValues } from "../secrets/http-secrets";
import { RunAbort, type AttemptOutcome } from "./outcome";
import { finishAttempt, isCanceled, recordProgress, startAttempt, type ClaimedRun } from "./store";

// How often a running attempt looks for a cancel; it works the same under Inngest and inline.
const CANCEL_POLL_MS = 1000;
import { effectiveTimeoutSeconds } from "../jobs/http-target";
import { runTarget } from "./targets";

/**
 * One attempt at a claimed run: recorded as an attempt row, stopped by the job's timeout, by
 * `cancelSignal`, or by the run being canceled in the database, whichever comes first.
 */
export async function executeAttempt(sql: Sql, run: ClaimedRun, attempt: number, cancelSignal?: AbortSignal): Promise<AttemptOutcome> {
  await startAttempt(sql, run, attempt);
  const controller = new AbortController();
  const timeoutSeconds = effectiveTimeoutSeconds(run.job);
  const timer = timeoutSeconds ? setTimeout(() => controller.abort(new RunAbort("timeout")), timeoutSeconds * 1000) : undefined;
  const onCancel = () => controller.abort(new RunAbort("cancel"));
  if (cancelSignal?.aborted) onCancel();
  cancelSignal?.addEventListener("abort", onCancel, { once: true });
  const watcher = setInterval(() => {
    void isCanceled(sql, run.id).then((canceled) => canceled && onCancel(), () => {});
  }, CANCEL_POLL_MS);
  try {
    const outcome = await runTarget(run.job, run.params, {
      signal: controller.signal,
      progress: (update) => recordProgress(sql, run, update),
      resolveSecrets: (names) => withService(sql, (tx) => readHttpSecretValues(tx, run.workspaceId, names)),
    });
    await finishAttempt(sql, run, attempt, outcome);
    return outcome;
  } finally {
    clearTimeout(timer);
    clearInterval(watcher);
    cancelSignal?.removeEventListener("abort", onCancel);
  }
}
