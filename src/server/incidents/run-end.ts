import type { Tx } from "../db/transactions";

/** What a run's end did to its job's incidents and the outbox. */
export type RunEndEffects = {
  /** The incident this end opened; null when it added to one already open, or opened none. */
  openedIncidentId: string | null;
  resolvedIncidentIds: string[];
  /** It wrote an alert, to deliver once the transaction has committed. */
  alertQueued: boolean;
};

/**
 * Decides, from the run's row as its ending wrote it, the job's incidents (open, count,
 * threshold, resolve) and the alert, in the caller's transaction. Every way a run ends calls
 * this, and so does private.ingest_report for reports and agents' finishes: the rules live once,
 * in private.settle_run_end (source: supabase/routines/settle_run_end.sql).
 */
export async function settleRunEnd(tx: Tx, runId: string): Promise<RunEndEffects> {
  const [row] = await tx<{ effects: { opened: string | null; resolved: string[]; alert_queued: boolean } }[]>`
    select private.settle_run_end(${runId}) as effects`;
  const effects = row!.effects;
  return { openedIncidentId: effects.opened, resolvedIncidentIds: effects.resolved, alertQueued: effects.alert_queued };
}
