import type { ServerMessageKey } from "@/lib/i18n/server-messages";
import type { Tx } from "../db/transactions";
import { AppError } from "../errors";
import type { Role } from "../workspaces/roles";

/**
 * Whether the signed-in user holds at least `minimum` in the workspace, as RLS judges it. For a
 * refusal to say so when RLS hides the rows themselves (keys, invitations), instead of "not found".
 */
async function holdsRole(tx: Tx, workspaceId: string, minimum: Role): Promise<boolean> {
  const [row] = await tx<{ holds: boolean }[]>`select private.has_role(${workspaceId}, ${minimum}) as holds`;
  return row!.holds;
}

/** Nothing was changed: says why, either not allowed (as RLS judges it) or not there. */
export async function refuseUnchanged(
  tx: Tx,
  workspaceId: string,
  why: { minimum: Role; refusal: ServerMessageKey; missing: ServerMessageKey },
): Promise<never> {
  if (!(await holdsRole(tx, workspaceId, why.minimum))) throw new AppError("forbidden", why.refusal);
  throw new AppError("not_found", why.missing);
}
