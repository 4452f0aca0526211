import { recordAudit } from "../audit/record";
import type { Tx } from "../db/transactions";
import { AppError, FOREIGN_KEY_VIOLATION, INSUFFICIENT_PRIVILEGE, sqlState } from "../errors";
import type { Actor } from "../auth/actor";
import type { MaintenanceValues } from "./schemas";
import type { MaintenanceWindow } from "./windows";

const REFUSED = "maintenance.planRefused";

function translate(error: unknown): never {
  if (sqlState(error) === INSUFFICIENT_PRIVILEGE) throw new AppError("forbidden", REFUSED);
  if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw new AppError("invalid_input", "jobs.notInWorkspace", { field: "jobId" });
  throw error;
}

/** Plans a window (operators and above, under RLS), audited with what it covers. */
export async function createMaintenanceWindow(tx: Tx, p: { workspaceId: string; values: MaintenanceValues; actor: Actor }): Promise<string> {
  try {
    const row = { ...p.values, workspace_id: p.workspaceId, created_by: p.actor.userId };
    const [window] = await tx<{ id: string }[]>`
      insert into maintenance_windows ${tx(row as never, "workspace_id", "job_id", "title", "starts_at", "ends_at", "cron", "timezone", "duration_minutes", "created_by")}
      returning id`;
    await recordAudit(tx, p, { action: "maintenance.created", targetType: "maintenance_window", targetId: window!.id, detail: { after: p.values } });
    return window!.id;
  } catch (error) {
    if (error instanceof AppError) throw error;
    translate(error);
  }
}

/** Removes a window; alerts it was holding go out at the next tick if their incident is still open. */
export async function deleteMaintenanceWindow(tx: Tx, p: { workspaceId: string; windowId: string; actor: Actor }): Promise<void> {
  const deleted = await tx<MaintenanceWindow[]>`
    delete from maintenance_windows where workspace_id = ${p.workspaceId} and id = ${p.windowId}
    returning id, workspace_id, job_id, title, starts_at, ends_at, cron, timezone, duration_minutes`.catch(translate);
  if (deleted.length === 0) throw new AppError("not_found", "maintenance.notFound");
  const { id, title, job_id, starts_at, ends_at, cron, timezone, duration_minutes } = deleted[0]!;
  await recordAudit(tx, p, {
    action: "maintenance.deleted", targetType: "maintenance_window", targetId: id,
    detail: { before: { title, job_id, starts_at, ends_at, cron, timezone, duration_minutes } },
  });
}
