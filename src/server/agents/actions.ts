"use server";

import { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { workspaceAction } from "../auth/workspace-action";
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
export const createAgentTokenAction = workspaceAction<typeof createSchema, CreateAgentState>(
  { role: "admin", refusal: "agents.createRefused", schema: createSchema, revalidate: () => ["/settings/agents"] },
  async (input, { workspace, actor, db }) => {
    const agent = await db((tx) => createAgentToken(tx, { workspaceId: workspace.id, name: input.name, actor }));
    return { ok: true, created: { name: input.name, token: agent.token } };
  },
);

/** Drain, resume or detach an agent (operators and above). */
export const controlAgentAction = workspaceAction(
  { role: "operator", refusal: "agents.controlRefused", schema: controlSchema, revalidate: () => ["/agents", "/settings/agents"] },
  (input, { workspace, actor, db }) => db((tx) => controlAgent(tx, { workspaceId: workspace.id, ...input, actor })),
);

/** Queues a lost run again for its job's agents (operators and above). */
export const reassignRunAction = workspaceAction(
  { role: "operator", refusal: "agents.reassignRefused", schema: reassignSchema, revalidate: (input) => [`/runs/${input.runId}`] },
  async (input, { workspace, actor, db }) => {
    await db((tx) => reassignLostRun(tx, { workspaceId: workspace.id, runId: input.runId, actor }));
  },
);
