import type { Db } from "../db/sql";
import type { Role } from "./roles";

export type MyWorkspace = { id: string; name: string; slug: string; timezone: string; role: Role };

/** The workspaces the signed-in user belongs to (RLS-scoped), by name. */
export async function listMyWorkspaces(db: Db): Promise<MyWorkspace[]> {
  return db<MyWorkspace[]>`
    select w.id, w.name, w.slug, w.timezone, m.role
    from memberships m
    join workspaces w on w.id = m.workspace_id
    where m.user_id = auth.uid()
    order by w.name, w.id`;
}

/** Open incidents of a workspace: the number on the sidebar badge. */
export async function countOpenIncidents(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db<{ count: number }[]>`
    select count(*)::int as count
    from incidents
    where workspace_id = ${workspaceId} and resolved_at is null`;
  return row?.count ?? 0;
}
