import "server-only";
import type { ActionState } from "@/lib/action-state";
import { isAppError } from "../errors";
import { getAppContext, type AppContext } from "./context";
import { hasRole, type Role } from "../workspaces/roles";

/**
 * Runs a server action's body for the signed-in user's current workspace. Refuses below
 * `minimum` with a clear message (RLS would refuse anyway; this says why); answers an AppError
 * with its message and anything else with a generic one, logged but never shown.
 */
export async function guardedAction(
  minimum: Role,
  refusal: string,
  body: (context: AppContext) => Promise<ActionState>,
): Promise<ActionState> {
  const context = await getAppContext();
  if (!hasRole(context.workspace.role, minimum)) return { error: refusal };
  try {
    return await body(context);
  } catch (error) {
    if (isAppError(error)) {
      return { error: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
    }
    console.error("server action failed", error);
    return { error: "Something went wrong on our side. Please try again." };
  }
}
