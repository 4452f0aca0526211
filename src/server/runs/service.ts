import { recordAudit } from "../audit/record";
import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transactions";
import { AppError, INSUFFICIENT_PRIVILEGE, sqlState } from "../errors";

/**
 * Queues a run of a job by hand: a rerun of `rerunOf`, or a plain manual run. Runs under the
 * caller's RLS, so only operators and above get through; audited in the same transaction.
 */
export async function requestRun(
  tx: Tx,
  p: { workspaceId: string; jobId: string; params: Record<string, unknown>; rerunOf?: string | null; actor: Actor },
): Promise<{ id: string }> {
  const trigger = p.rerunOf ? "rerun" : "manual";
  const [job] = await tx<{ kind: string }[]>`select kind from jobs where id = ${p.jobId} and workspace_id = ${p.workspaceId}`;
  if (job?.kind === "reported") {
    throw new AppError("invalid_input", "runs.reportedElsewhere");
  }
  try {
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, triggered_by, rerun_of, params)
      select ${p.workspaceId}, j.id, 'queued', ${trigger}, ${p.actor.userId}, ${p.rerunOf ?? null}, ${tx.json(p.params as never)}
      from jobs j
      where j.id = ${p.jobId} and j.workspace_id = ${p.workspaceId}
        and (${p.rerunOf ?? null}::uuid is null
             or exists (select 1 from runs o where o.id = ${p.rerunOf ?? null} and o.job_id = j.id))
      returning id`;
    if (!run) throw new AppError("not_found", "runs.jobOrRunNotFound");
    await recordAudit(tx, p, {
      action: trigger === "rerun" ? "run.rerun" : "run.manual", targetType: "run", targetId: run.id,
      detail: { job_id: p.jobId, rerun_of: p.rerunOf ?? null, params: p.params },
    });
    return run;
  } catch (error) {
    if (sqlState(error) === INSUFFICIENT_PRIVILEGE) throw new AppError("forbidden", "runs.runRefused");
    throw error;
  }
}

/** Cancels a queued or running run; a finished one cannot be canceled. */
export async function cancelRun(tx: Tx, p: { workspaceId: string; runId: string; actor: Actor }): Promise<void> {
  const canceled = await tx<{ id: string; job_id: string; previous: string }[]>`
    update runs set status = 'canceled', finished_at = now(), canceled_by = ${p.actor.userId},
                    message = coalesce(message, 'Canceled by ' || ${p.actor.email}::text)
    where id = ${p.runId} and workspace_id = ${p.workspaceId} and status in ('queued', 'running')
    returning id, job_id, 'active' as previous`;
  if (canceled.length === 0) {
    const [run] = await tx<{ status: string }[]>`select status from runs where id = ${p.runId} and workspace_id = ${p.workspaceId}`;
    if (!run) throw new AppError("not_found", "runs.notFound");
    if (run.status === "queued" || run.status === "running") {
      throw new AppError("forbidden", "runs.cancelRefused");
    }
    throw new AppError("conflict", run.status === "canceled" ? "runs.alreadyCanceled" : "runs.alreadyFinished");
  }
  await recordAudit(tx, p, { action: "run.canceled", targetType: "run", targetId: p.runId, detail: { job_id: canceled[0]!.job_id } });
}
