import type { ServerMessageKey } from "@/lib/i18n/server-messages";
import { recordAudit } from "../audit/record";
import type { Db } from "../db/sql";
import type { Tx } from "../db/transactions";
import { AppError, INSUFFICIENT_PRIVILEGE, sqlState } from "../errors";
import { FAILED_STATUSES } from "./status";
import { runsMatching, type RunFilters } from "./queries";
import type { Actor } from "../auth/actor";

/** A bulk action takes at most this many runs (the newest), so one click cannot queue or stop thousands. */
export const BULK_LIMIT = 200;

/**
 * Runs a rerun can start again: failed ones of jobs Jobboard runs (a reported job runs where it
 * lives), whose parameters still fit the job's schema (the database refuses a run that does not).
 */
const rerunnable = (db: Db) =>
  db`r.status = any(${db.array([...FAILED_STATUSES])}::text[]) and j.kind <> 'reported' and private.params_fit_job(j.id, r.params)`;
const active = (db: Db) => db`r.status in ('queued', 'running')`;

/**
 * How many runs each bulk action would take under these filters, up to BULK_LIMIT + 1 (so the
 * confirmation can say "more than the limit" without counting millions).
 */
export async function countBulkTargets(db: Db, f: RunFilters): Promise<{ rerun: number; cancel: number }> {
  const [row] = await db<{ rerun: number; cancel: number }[]>`
    select
      (select count(*)::int from (select 1 from runs r join jobs j on j.id = r.job_id
        where ${runsMatching(db, f)} and ${rerunnable(db)} limit ${BULK_LIMIT + 1}) t) as rerun,
      (select count(*)::int from (select 1 from runs r join jobs j on j.id = r.job_id
        where ${runsMatching(db, f)} and ${active(db)} limit ${BULK_LIMIT + 1}) t) as cancel`;
  return row!;
}

function refusal(error: unknown, message: ServerMessageKey): never {
  if (sqlState(error) === INSUFFICIENT_PRIVILEGE) throw new AppError("forbidden", message);
  throw error;
}

/**
 * Queues a rerun of every failed run the filters show (the newest BULK_LIMIT), each with its
 * own parameters, in one transaction under the caller's RLS, audited as one entry listing them.
 */
export async function rerunFailedRuns(tx: Tx, p: { filters: RunFilters; actor: Actor }): Promise<Array<{ id: string; rerunOf: string }>> {
  const { filters: f } = p;
  try {
    const queued = await tx<{ id: string; rerun_of: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, triggered_by, rerun_of, params)
      select failed.workspace_id, failed.job_id, 'queued', 'rerun', ${p.actor.userId}, failed.id, failed.params
      from (select r.id, r.workspace_id, r.job_id, r.params from runs r join jobs j on j.id = r.job_id
            where ${runsMatching(tx, f)} and ${rerunnable(tx)}
            order by r.queued_at desc, r.id desc
            limit ${BULK_LIMIT}) failed
      returning id, rerun_of`;
    if (queued.length === 0) throw new AppError("conflict", "runs.noFailedToRerun");
    await auditBulk(tx, p, "run.bulk_rerun", { run_ids: queued.map((run) => run.id), rerun_of: queued.map((run) => run.rerun_of) });
    return queued.map((run) => ({ id: run.id, rerunOf: run.rerun_of }));
  } catch (error) {
    return refusal(error, "runs.rerunRefused");
  }
}

/** Cancels every queued or running run the filters show (the newest BULK_LIMIT), in one transaction, audited as one entry. */
export async function cancelActiveRuns(tx: Tx, p: { filters: RunFilters; actor: Actor }): Promise<string[]> {
  const { filters: f } = p;
  const canceled = await tx<{ id: string }[]>`
    update runs set status = 'canceled', finished_at = now(), canceled_by = ${p.actor.userId},
                    message = coalesce(message, 'Canceled by ' || ${p.actor.email}::text)
    where id in (select r.id from runs r join jobs j on j.id = r.job_id
                 where ${runsMatching(tx, f)} and ${active(tx)}
                 order by r.queued_at desc, r.id desc
                 limit ${BULK_LIMIT})
      and status in ('queued', 'running')
    returning id`;
  // RLS hides the rows a viewer may not change, so nothing updated can also mean "not allowed".
  if (canceled.length === 0) throw new AppError("conflict", "runs.noneToCancel");
  await auditBulk(tx, p, "run.bulk_cancel", { run_ids: canceled.map((run) => run.id) });
  return canceled.map((run) => run.id);
}

/** One audit entry for the whole action: how many, every id, and the filters that chose them. */
async function auditBulk(tx: Tx, p: { filters: RunFilters; actor: Actor }, action: string, ids: { run_ids: string[] } & Record<string, string[]>) {
  await recordAudit(tx, { workspaceId: p.filters.workspaceId, actor: p.actor }, {
    action: action, targetType: "run",
    detail: { count: ids.run_ids.length, ...ids, filters: describe(p.filters) },
  });
}

/** The filters as the audit log shows them. */
function describe(f: RunFilters): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ job_id: f.jobId, status: f.status, trigger: f.trigger, from: f.from?.toISOString(), to: f.to?.toISOString() }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
