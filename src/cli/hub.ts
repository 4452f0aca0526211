import { REPORT_PATH, endpointUrl, hubBaseUrl, postBriefly } from "./http";
import { type SpoolEndpoint, replaySpool, writeSpoolEntry } from "./spool";

export type ReportPayload = Record<string, unknown> & { job_key: string };

/** Where reports and agent calls go, and where they wait when they cannot get there. */
export type HubTarget = {
  hubUrl: string;
  token?: string;
  /** The cap on trying one report before it goes to the spool. */
  hubTimeoutMs: number;
  spoolDir: string;
};

/** The report endpoint: a base URL gets the path added; a full endpoint URL is used as given. */
export function reportUrl(hubUrl: string): string {
  return endpointUrl(hubBaseUrl(hubUrl), REPORT_PATH);
}

export type Delivery =
  | { kind: "delivered"; body: unknown }
  | { kind: "spooled"; file: string; problem: string }
  | { kind: "refused"; status: number; problem: string }
  | { kind: "lost"; problem: string };

/**
 * Sends a report or a finish, tried briefly; when the hub is unreachable or failing it is written
 * to the spool instead, to be replayed later. Never throws.
 */
export async function deliver(target: HubTarget, endpoint: SpoolEndpoint, payload: Record<string, unknown>): Promise<Delivery> {
  const answer = await postBriefly(endpointUrl(target.hubUrl, endpoint), payload, {
    token: target.token,
    timeoutMs: target.hubTimeoutMs,
    totalMs: target.hubTimeoutMs,
  });
  if (answer.kind === "ok") return { kind: "delivered", body: answer.body };
  if (answer.kind === "refused") return { kind: "refused", status: answer.status, problem: answer.error };
  try {
    const file = await writeSpoolEntry(target.spoolDir, { endpoint, hubUrl: target.hubUrl, token: target.token, payload });
    return { kind: "spooled", file, problem: answer.error };
  } catch (error) {
    return { kind: "lost", problem: `${answer.error}; the spool in ${target.spoolDir} could not be written either (${(error as Error).message})` };
  }
}

/** A report sent once, briefly, and not spooled: the start of `jobboard run`, which the finish repairs. */
export async function sendStart(target: HubTarget, payload: ReportPayload, signal: AbortSignal): Promise<string | null> {
  const answer = await postBriefly(reportUrl(target.hubUrl), payload, {
    token: target.token,
    timeoutMs: target.hubTimeoutMs,
    totalMs: target.hubTimeoutMs,
    signal,
  });
  if (answer.kind === "ok" || signal.aborted) return null;
  return answer.kind === "refused"
    ? `the hub refused the start report: ${answer.error}`
    : `could not reach the hub for the start report (${answer.error})`;
}

/** How long a `run` or `report` spends replaying old entries before its own report. */
const QUIET_REPLAY_BUDGET_MS = 5000;

/** The replay each `run` and `report` begins with: quiet unless something is refused. */
export async function replayBeforeReporting(target: HubTarget, warn: (text: string) => void): Promise<void> {
  try {
    await replaySpool({
      dir: target.spoolDir,
      hubUrl: target.hubUrl,
      tokens: [target.token],
      requestTimeoutMs: target.hubTimeoutMs,
      budgetMs: QUIET_REPLAY_BUDGET_MS,
      warn,
    });
  } catch (error) {
    warn(`could not read the spool in ${target.spoolDir} (${(error as Error).message})`);
  }
}

/** The warning for a delivery that did not simply succeed, or null. */
export function deliveryWarning(delivery: Delivery, what: string): string | null {
  switch (delivery.kind) {
    case "delivered":
      return null;
    case "refused":
      return `the hub refused the ${what}: ${delivery.problem}`;
    case "spooled":
      return `could not reach the hub for the ${what} (${delivery.problem}); saved it to ${delivery.file}, to be sent by the next jobboard run, report or spool flush`;
    case "lost":
      return `could not reach the hub for the ${what} (${delivery.problem}); it is lost`;
  }
}
