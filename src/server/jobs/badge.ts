import { recordAudit } from "../audit/record";
import type { Tx } from "../db/transactions";
import { AppError } from "../errors";
import type { Actor } from "../auth/actor";

/**
 * Turns a job's public status badge on or off (admins: jobs' update policy refuses anyone
 * else, which shows here as no row updated); audited with a before/after, unless nothing changed.
 */
export async function setJobBadge(
  tx: Tx,
  p: { workspaceId: string; jobId: string; enabled: boolean; actor: Actor },
): Promise<void> {
  const [before] = await tx<{ public_badge: boolean }[]>`
    select public_badge from jobs where id = ${p.jobId} and workspace_id = ${p.workspaceId}`;
  if (!before) throw new AppError("not_found", "jobs.notFound");
  if (before.public_badge === p.enabled) return;
  const updated = await tx`
    update jobs set public_badge = ${p.enabled}
    where id = ${p.jobId} and workspace_id = ${p.workspaceId}
    returning id`;
  if (updated.length === 0) throw new AppError("forbidden", "jobs.badgeRefused");
  await recordAudit(tx, p, {
    action: p.enabled ? "job.badge_enabled" : "job.badge_disabled", targetType: "job", targetId: p.jobId,
    detail: { before: { public_badge: before.public_badge }, after: { public_badge: p.enabled } },
  });
}
