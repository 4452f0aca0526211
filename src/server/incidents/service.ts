import { recordAudit } from "../audit/record";
import type { Actor } from "../auth/actor";
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
    if (!existing) throw new AppError("not_found", "incidents.notFound");
    if (existing.resolved_at) throw new AppError("conflict", "incidents.alreadyResolved");
    if (existing.acknowledged_at) throw new AppError("conflict", "incidents.alreadyAcknowledged");
    throw new AppError("forbidden", "incidents.acknowledgeRefused");
  }
  await recordAudit(tx, p, { action: "incident.acknowledged", targetType: "incident", targetId: incident.id, detail: { job_id: incident.job_id } });
}

/** Incidents one bulk acknowledgement takes at most. */
export const BULK_ACKNOWLEDGE_LIMIT = 200;

/**
 * Acknowledges the chosen open incidents in one transaction, audited as one entry listing them.
 * Ones already acknowledged or resolved meanwhile are left as they are; the answer says which were taken.
 */
export async function acknowledgeIncidents(tx: Tx, p: { workspaceId: string; incidentIds: string[]; actor: Actor }): Promise<string[]> {
  if (p.incidentIds.length > BULK_ACKNOWLEDGE_LIMIT) {
    throw new AppError("invalid_input", "incidents.tooMany", { params: { limit: BULK_ACKNOWLEDGE_LIMIT } });
  }
  const acknowledged = await tx<{ id: string }[]>`
    update incidents set acknowledged_at = now(), acknowledged_by = ${p.actor.userId}
    where workspace_id = ${p.workspaceId} and id = any(${tx.array(p.incidentIds)}::uuid[])
      and resolved_at is null and acknowledged_at is null
    returning id`;
  if (acknowledged.length === 0) throw new AppError("conflict", "incidents.noneToAcknowledge");
  await recordAudit(tx, p, {
    action: "incident.bulk_acknowledged", targetType: "incident",
    detail: { count: acknowledged.length, incident_ids: acknowledged.map((incident) => incident.id) },
  });
  return acknowledged.map((incident) => incident.id);
}
