"use server";

import { workspaceAction } from "../auth/workspace-action";
import { deleteHttpSecretSchema, httpSecretSchema } from "./schemas";
import { deleteHttpSecret, setHttpSecret } from "./http-secrets";

const ADMINS_ONLY = "secrets.manageRefused";

export const saveHttpSecretAction = workspaceAction(
  { role: "admin", refusal: ADMINS_ONLY, schema: httpSecretSchema, revalidate: () => ["/settings"] },
  (input, { workspace, actor, db }) => db((tx) => setHttpSecret(tx, { workspaceId: workspace.id, ...input, actor })),
);

export const deleteHttpSecretAction = workspaceAction(
  { role: "admin", refusal: ADMINS_ONLY, schema: deleteHttpSecretSchema, revalidate: () => ["/settings"] },
  (input, { workspace, actor, db }) => db((tx) => deleteHttpSecret(tx, { workspaceId: workspace.id, name: input.name, actor })),
);
