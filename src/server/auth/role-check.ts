import type { Tx } from "../db/transactions";
import type { Role } from "../workspaces/roles";

/**
 * Whether the signed-in user holds at least `minimum` in the workspace, as RLS judges it. For a
 * refusal to say so when RLS hides the rows themselves (keys, invitations), instead of "not found".
 */
export async function holdsRole(tx: Tx, workspaceId: string, minimum: Role): Promise<boolean> {
  const [row] = await tx<{ holds: boolean }[]>`select private.has_role(${workspaceId}, ${minimum}) as holds`;
  return row!.holds;
}
