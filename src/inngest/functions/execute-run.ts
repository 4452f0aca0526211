import { getSql } from "@/server/db/client";
import { executeAttempt } from "@/server/execution/attempt";
import { retryDelaySeconds } from "@/server/execution/backoff";
import { shouldRetry } from "@/server/execution/run-loop";
import { claimRun, finishRun } from "@/server/execution/store";
import { inngest } from "../client";
import { alertsQueued, runCancelRequested } from "@/server/events";
import { EVENTS, runRequestedSchema } from "../events";

/**
 * Executes a queued run durably: claim (at most once, whatever the deliveries), attempts with
 * backoff between them as durable sleeps, record, announce. Attempts are our own retries, each
 * recorded on the run, so Inngest's are off; cancelOn stops it between steps, and a running
 * attempt notices the cancel in the database and aborts its call.
 */
export const executeRun = inngest.createFunction(
  {
    id: "execute-run",
    retries: 0,
    triggers: [{ event: EVENTS.runRequested }],
    cancelOn: [{ event: EVENTS.runCancelRequested, match: "data.runId" }],
  },
  async ({ event, step }) => {
    const parsed = runRequestedSchema.safeParse(event.data);
    if (!parsed.success) return { skipped: "malformed event" };
    const { runId } = parsed.data;
    const sql = await getSql();

    const claim = await step.run("claim", () => claimRun(sql, runId));
    if (claim.kind !== "claimed") return claim;
    if (claim.replacedRunIds.length > 0) {
      await step.sendEvent(
        "cancel-replaced",
        claim.replacedRunIds.map(runCancelRequested),
      );
    }
    let attempt = 1;
    let outcome = await step.run(`attempt-${attempt}`, () => executeAttempt(sql, claim.run, 1));
    while (shouldRetry(outcome, attempt, claim.run.job.max_retries)) {
      await step.sleep(`backoff-${attempt}`, `${retryDelaySeconds(attempt)}s`);
      attempt++;
      const current = attempt;
      outcome = await step.run(`attempt-${current}`, () => executeAttempt(sql, claim.run, current));
    }
    const finished = await step.run("record", () => finishRun(sql, claim.run, outcome));
    if (finished?.alertQueued) await step.sendEvent("alert", alertsQueued());
    return { finished, attempts: attempt };
  },
);
