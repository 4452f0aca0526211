"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { controlAgent, createAgentToken, reassignLostRun } from "./admin";

export type CreateAgentState = ActionState & { created?: { name: string; token: string } };

const createSchema = z.object({
  name: z.string().trim().min(1, "Give the agent a name, e.g. the machine's").max(100, "Names are at most 100 characters"),
});
const controlSchema = z.object({
  agentId: z.uuid("Unknown agent."),
  control: z.enum(["drain", "resume", "detach"], { error: "control must be drain, resume or detach" }),
});
const reassignSchema = z.object({ runId: z.uuid("Unknown run.") });

/** Makes an agent token (admins); it is shown once, in the answer. */
export async function createAgentTokenAction(_: CreateAgentState, form: FormData): Promise<CreateAgentState> {
  const input = createSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  let created: CreateAgentState["created"];
  const result = await guardedAction("admin", "Only admins can create agent tokens.", async ({ workspace, user, db }) => {
    const agent = await db((tx) =>
      createAgentToken(tx, { workspaceId: workspace.id, name: input.data.name, actor: { userId: user.id, email: user.email } }),
    );
    created = { name: input.data.name, token: agent.token };
    revalidatePath("/settings/agents");
    return { ok: true };
  });
  return { ...result, created };
}

/** Drain, resume or detach an agent (operators and above). */
export async function controlAgentAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = controlSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("operator", "Only operators and admins can control agents.", async ({ workspace, user, db }) => {
    await db((tx) => controlAgent(tx, { workspaceId: workspace.id, ...input.data, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/agents");
    revalidatePath("/settings/agents");
    return { ok: true };
  });
}

/** Queues a lost run again for its job's agents (operators and above). */
export async function reassignRunAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = reassignSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("operator", "Only operators and admins can reassign runs.", async ({ workspace, user, db }) => {
    await db((tx) => reassignLostRun(tx, { workspaceId: workspace.id, runId: input.data.runId, actor: { userId: user.id, email: user.email } }));
    revalidatePath(`/runs/${input.data.runId}`);
    return { ok: true };
  });
}
