"use server";

import { workspaceAction } from "../auth/workspace-action";
import { deleteMaintenanceSchema, maintenanceFormSchema, maintenanceValues } from "./schemas";
import { createMaintenanceWindow, deleteMaintenanceWindow } from "./service";

const REFUSED = "maintenance.planRefused";

export const createMaintenanceWindowAction = workspaceAction(
  { role: "operator", refusal: REFUSED, schema: maintenanceFormSchema, revalidate: () => ["/maintenance"] },
  async (input, { workspace, actor, db }) => {
    await db((tx) => createMaintenanceWindow(tx, { workspaceId: workspace.id, values: maintenanceValues(input), actor }));
    return { ok: true };
  },
);

export const deleteMaintenanceWindowAction = workspaceAction(
  { role: "operator", refusal: REFUSED, schema: deleteMaintenanceSchema, revalidate: () => ["/maintenance"] },
  (input, { workspace, actor, db }) => db((tx) => deleteMaintenanceWindow(tx, { workspaceId: workspace.id, windowId: input.windowId, actor })),
);
