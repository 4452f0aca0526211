import { getEnv, isInngestConfigured } from "@/lib/env";
import type { Sql } from "../db/sql";
import { runCancelRequested, runRequested } from "../events";
import { withService } from "../db/transactions";
import { executeRunInline } from "../execution/run-loop";

export type QueuedRun = { id: string; workspaceId: string };

/**
 * Hands a queued run to whatever executes runs. A run that cannot be handed over stays queued
 * with the reason, and the schedule tick hands it over again: never lost.
 */
export type RunDispatcher = (sql: Sql, run: QueuedRun) => Promise<void>;

async function recordDispatchError(sql: Sql, run: QueuedRun, reason: string): Promise<void> {
  await withService(sql, (tx) => tx`
    update runs set dispatch_error = ${reason}
    where id = ${run.id} and workspace_id = ${run.workspaceId} and status = 'queued'`);
}

/** Sends the run-requested event to Inngest (dev server or Cloud). */
export const dispatchThroughInngest: RunDispatcher = async (sql, run) => {
  try {
    const { inngest } = await import("@/inngest/client");
    await inngest.send(runRequested(run));
  } catch (error) {
    console.error("could not send run to Inngest", error);
    await recordDispatchError(sql, run, `Could not reach Inngest (${(error as Error).message}); the schedule tick will retry.`);
  }
};

// Runs executing in this process, per workspace: one tenant's burst must not take the server.
const inlineRunning = new Map<string, number>();
const WAITING_FOR_SLOT = "Waiting for a free slot";

function inlineCap(): number {
  return getEnv().JOBBOARD_INLINE_RUNS_PER_WORKSPACE ?? 4;
}

/** The oldest run of the workspace that waited for a free slot, to start when one frees up. */
async function nextWaitingRun(sql: Sql, workspaceId: string): Promise<QueuedRun | null> {
  const [run] = await withService(sql, (tx) => tx<{ id: string }[]>`
    select r.id from runs r join jobs j on j.id = r.job_id
    where r.workspace_id = ${workspaceId} and r.status = 'queued' and j.kind in ('http', 'task')
      and r.dispatch_error like ${`${WAITING_FOR_SLOT}%`}
    order by r.queued_at limit 1`);
  return run ? { id: run.id, workspaceId } : null;
}

/**
 * Executes the run in this server process, in the background (the embedded default, with no
 * Inngest): no durability across restarts, but the whole loop works locally. At most
 * JOBBOARD_INLINE_RUNS_PER_WORKSPACE run at once per workspace; the rest wait queued and start
 * as slots free up (or at the next tick).
 */
export const dispatchInline: RunDispatcher = async (sql, run) => {
  const running = inlineRunning.get(run.workspaceId) ?? 0;
  if (running >= inlineCap()) {
    await recordDispatchError(sql, run, `${WAITING_FOR_SLOT}: ${running} runs of this workspace are already running in this server.`);
    return;
  }
  inlineRunning.set(run.workspaceId, running + 1);
  void executeRunInline(sql, run.id)
    .catch(async (error: unknown) => {
      console.error("inline execution failed", error);
      await recordDispatchError(sql, run, "The in-process executor failed before finishing; see the server log.").catch(() => {});
    })
    .finally(async () => {
      inlineRunning.set(run.workspaceId, (inlineRunning.get(run.workspaceId) ?? 1) - 1);
      const next = await nextWaitingRun(sql, run.workspaceId).catch(() => null);
      if (next) await dispatchInline(sql, next);
    });
};

/** Tells Inngest a run was canceled, so its function stops between steps. */
export async function announceCancel(runId: string): Promise<void> {
  if (!isInngestConfigured()) return;
  try {
    const { inngest } = await import("@/inngest/client");
    await inngest.send(runCancelRequested(runId));
  } catch (error) {
    // The attempt still notices the canceled row itself; the event only saves the remaining steps.
    console.error("could not announce cancel to Inngest", error);
  }
}

export function getRunDispatcher(): RunDispatcher {
  return isInngestConfigured() ? dispatchThroughInngest : dispatchInline;
}
