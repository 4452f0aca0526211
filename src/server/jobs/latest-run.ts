import type { Tx } from "../db/transactions";

/** Points the job at this run unless a later run is already its latest. */
export async function markLatestRun(tx: Tx, jobId: string, runId: string): Promise<void> {
  await tx`
    update jobs j set last_run_id = ${runId}
    from runs r
    where j.id = ${jobId} and r.id = ${runId}
      and (j.last_run_id is null or j.last_run_id = r.id
           or (select latest.queued_at from runs latest where latest.id = j.last_run_id) <= r.queued_at)`;
}
