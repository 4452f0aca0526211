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
  const [row] = await tx<{ effects: SettledEffects }[]>`select private.settle_run_end(${runId}) as effects`;
  return effectsOf(row!.effects);
}

/**
 * Ends a running run that ran past its job's timeout, at the moment it ran out, and settles it
 * (private.time_out_run, which ingest also uses for a run a later report shows to have run out).
 * Null when the run was not running any more.
 */
export async function timeOutRun(tx: Tx, runId: string): Promise<RunEndEffects | null> {
  const [row] = await tx<{ effects: SettledEffects | null }[]>`select private.time_out_run(${runId}) as effects`;
  return row?.effects ? effectsOf(row.effects) : null;
}

type SettledEffects = { opened: string | null; resolved: string[]; alert_queued: boolean };

const effectsOf = (effects: SettledEffects): RunEndEffects => ({
  openedIncidentId: effects.opened,
  resolvedIncidentIds: effects.resolved,
  alertQueued: effects.alert_queued,
});
