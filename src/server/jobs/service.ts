import { recordAudit } from "../audit/record";
import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transactions";
import { AppError, INSUFFICIENT_PRIVILEGE, sqlState } from "../errors";

/** Pauses or resumes a job (operators and above, checked by public.set_job_paused, which also refuses a job of another workspace); audited. */
export async function setJobPaused(
  tx: Tx,
  p: { workspaceId: string; jobId: string; isPaused: boolean; actor: Actor },
): Promise<void> {
  try {
    const [result] = await tx<{ changed: boolean }[]>`select public.set_job_paused(${p.workspaceId}, ${p.jobId}, ${p.isPaused}) as changed`;
    if (!result!.changed) return;
  } catch (error) {
    if (sqlState(error) === INSUFFICIENT_PRIVILEGE) {
      throw new AppError("forbidden", "jobs.pauseRefused");
    }
    throw error;
  }
  await recordAudit(tx, p, {
    action: p.isPaused ? "job.paused" : "job.resumed", targetType: "job", targetId: p.jobId,
    detail: { before: { paused: !p.isPaused }, after: { paused: p.isPaused } },
  });
}
