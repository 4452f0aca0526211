export type FinishedStatus = "succeeded" | "failed" | "timed_out" | "canceled";

/** What one attempt came to. `isRetryable` is false where trying again cannot help (bad parameters). */
export type AttemptOutcome = {
  status: FinishedStatus;
  exitCode: number | null;
  message: string;
  log: string | null;
  stderr: string | null;
  isRetryable: boolean;
};

/** Why a run's signal was aborted: the two reasons end a run differently. */
export class RunAbort extends Error {
  constructor(readonly reason: "timeout" | "cancel") {
    super(reason === "timeout" ? "The run exceeded its timeout" : "The run was canceled");
    this.name = "RunAbort";
  }
}

/** The outcome for an attempt that was stopped by its signal. */
export function abortedOutcome(signal: AbortSignal, log: string | null): AttemptOutcome | null {
  if (!signal.aborted) return null;
  const isTimeout = signal.reason instanceof RunAbort && signal.reason.reason === "timeout";
  return {
    status: isTimeout ? "timed_out" : "canceled",
    exitCode: null,
    message: isTimeout ? "Timed out" : "Canceled",
    log,
    stderr: null,
    isRetryable: isTimeout,
  };
}
