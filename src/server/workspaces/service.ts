import { randomBytes } from "node:crypto";
import type { Tx } from "../db/transactions";
import { recordAudit } from "../audit/record";
import { UNIQUE_VIOLATION, sqlState } from "../errors";
import { slugify } from "./slug";

export type Workspace = { id: string; name: string; slug: string; timezone: string };

/**
 * Creates a workspace with its owner. Runs as the service role (sign-up has no membership yet
 * to authorise it); a taken slug gets a short random suffix.
 */
export async function createWorkspace(
  db: Tx,
  input: { name: string; ownerId: string; ownerLabel: string; timezone?: string; slug?: string },
): Promise<Workspace> {
  const base = input.slug ?? slugify(input.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 40)}-${randomBytes(3).toString("hex")}`;
    try {
      // A savepoint, so a taken slug does not abort the caller's transaction.
      const workspace = await db.savepoint(async (sp) => {
        const [row] = await sp<Workspace[]>`
          insert into workspaces (name, slug, timezone)
          values (${input.name}, ${slug}, ${input.timezone ?? "Asia/Tokyo"})
          returning id, name, slug, timezone`;
        return row!;
      });
      await db`
        insert into memberships (workspace_id, user_id, role)
        values (${workspace.id}, ${input.ownerId}, 'owner')`;
      const by = { workspaceId: workspace.id, actor: { userId: input.ownerId, email: input.ownerLabel } };
      await recordAudit(db, by, { action: "workspace.created", targetType: "workspace", targetId: workspace.id, detail: { name: workspace.name, slug: workspace.slug } });
      return workspace;
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
    }
  }
  throw new Error("Could not find a free workspace slug");
}
