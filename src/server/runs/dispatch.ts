import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";

export type QueuedRun = { id: string; workspaceId: string };

/**
 * Hands a queued run to whatever executes runs. This is the seam the executor fills; a run that
 * cannot be handed over stays queued with the reason, never lost.
 */
export type RunDispatcher = (sql: Sql, run: QueuedRun) => Promise<void>;

export const NO_EXECUTOR_REASON =
  "No executor is configured in this version of Jobboard yet: the run stays queued until one picks it up.";

/** The dispatcher while no executor exists: it records, honestly, why the run waits. */
export const recordWaitingForExecutor: RunDispatcher = async (sql, run) => {
  await withService(sql, (tx) => tx`
    update runs set dispatch_error = ${NO_EXECUTOR_REASON}
    where id = ${run.id} and workspace_id = ${run.workspaceId} and status = 'queued'`);
};

let dispatcher: RunDispatcher = recordWaitingForExecutor;

export function getRunDispatcher(): RunDispatcher {
  return dispatcher;
}

/** For the executor (and tests) to take over dispatch. */
export function setRunDispatcher(next: RunDispatcher): void {
  dispatcher = next;
}
