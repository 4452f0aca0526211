import { recordAudit } from "../audit/record";
import type { Actor } from "../runs/service";
import type { Tx } from "../db/transactions";
import { AppError } from "../errors";

/** Marks an open incident as seen by someone; RLS lets operators and above through. */
export async function acknowledgeIncident(tx: Tx, p: { workspaceId: string; incidentId: string; actor: Actor }): Promise<void> {
  const [incident] = await tx<{ id: string; job_id: string }[]>`
    update incidents set acknowledged_at = now(), acknowledged_by = ${p.actor.userId}
    where id = ${p.incidentId} and workspace_id = ${p.workspaceId} and resolved_at is null and acknowledged_at is null
    returning id, job_id`;
  if (!incident) {
    const [existing] = await tx<{ resolved_at: Date | null; acknowledged_at: Date | null }[]>`
      select resolved_at, acknowledged_at from incidents where id = ${p.incidentId} and workspace_id = ${p.workspaceId}`;
    if (!existing) throw new AppError("not_found", "That incident does not exist in this workspace.");
    if (existing.resolved_at) throw new AppError("conflict", "This incident is already resolved.");
    if (existing.acknowledged_at) throw new AppError("conflict", "This incident is already acknowledged.");
    throw new AppError("forbidden", "Only operators and admins can acknowledge incidents.");
  }
  await recordAudit(tx, {
    workspaceId: p.workspaceId,
    actorId: p.actor.userId,
    actorLabel: p.actor.email,
    action: "incident.acknowledged",
    targetType: "incident",
    targetId: incident.id,
    detail: { job_id: incident.job_id },
  });
}
