import { isInngestConfigured } from "@/lib/env";
import type { Sql } from "../db/sql";
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

/** Sends `jobboard/run.requested` to Inngest (dev server or Cloud). */
export const dispatchThroughInngest: RunDispatcher = async (sql, run) => {
  try {
    const { inngest } = await import("@/inngest/client");
    await inngest.send({ name: "jobboard/run.requested", data: { runId: run.id, workspaceId: run.workspaceId } });
  } catch (error) {
    console.error("could not send run to Inngest", error);
    await recordDispatchError(sql, run, `Could not reach Inngest (${(error as Error).message}); the schedule tick will retry.`);
  }
};

/**
 * Executes the run in this server process, in the background (the embedded default, with no
 * Inngest): no durability across restarts, but the whole loop works locally.
 */
export const dispatchInline: RunDispatcher = async (sql, run) => {
  void executeRunInline(sql, run.id).catch(async (error: unknown) => {
    console.error("inline execution failed", error);
    await recordDispatchError(sql, run, "The in-process executor failed before finishing; see the server log.").catch(() => {});
  });
};

/** Tells Inngest a run was canceled, so its function stops between steps. */
export async function announceCancel(runId: string): Promise<void> {
  if (!isInngestConfigured()) return;
  try {
    const { inngest } = await import("@/inngest/client");
    await inngest.send({ name: "jobboard/run.cancel-requested", data: { runId } });
  } catch (error) {
    // The attempt still notices the canceled row itself; the event only saves the remaining steps.
    console.error("could not announce cancel to Inngest", error);
  }
}

let override: RunDispatcher | undefined;

export function getRunDispatcher(): RunDispatcher {
  return override ?? (isInngestConfigured() ? dispatchThroughInngest : dispatchInline);
}

/** For tests: replace the dispatcher (undefined restores the default). */
export function setRunDispatcher(next: RunDispatcher | undefined): void {
  override = next;
}
