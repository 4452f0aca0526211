"use server";

import type { ActionState } from "@/lib/action-state";
import { workspaceAction } from "../auth/workspace-action";
import { createKeySchema, revokeKeySchema } from "../settings/schemas";
import { createIngestKey, revokeIngestKey } from "./key-service";

export type CreateKeyState = ActionState & { created?: { name: string; scope: string; token: string } };

/** Makes a report or read key (admins); the token is shown once, in the answer. */
export const createKeyAction = workspaceAction<typeof createKeySchema, CreateKeyState>(
  { role: "admin", refusal: "keys.createRefused", schema: createKeySchema, revalidate: () => ["/settings/keys"] },
  async (input, { workspace, actor, db }) => {
    const key = await db((tx) => createIngestKey(tx, { workspaceId: workspace.id, name: input.name, scope: input.scope, actor }));
    return { ok: true, created: { name: input.name, scope: input.scope, token: key.token } };
  },
);

export const revokeKeyAction = workspaceAction(
  { role: "admin", refusal: "keys.revokeRefused", schema: revokeKeySchema, revalidate: () => ["/settings/keys"] },
  (input, { workspace, actor, db }) => db((tx) => revokeIngestKey(tx, { workspaceId: workspace.id, keyId: input.keyId, actor })),
);
