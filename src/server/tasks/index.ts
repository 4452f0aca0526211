import { z } from "zod";
import { demoPipeline } from "./demo-pipeline";
import { failOnDemand } from "./fail-on-demand";
import type { TaskDefinition } from "./registry";

/** Every task a `task` job can name. Add a task by defining it beside these and listing it here. */
export const TASKS: Record<string, TaskDefinition> = Object.fromEntries(
  [demoPipeline, failOnDemand].map((task) => [task.name, task as unknown as TaskDefinition]),
);

export function getTask(name: string | null | undefined): TaskDefinition | undefined {
  return name ? TASKS[name] : undefined;
}

/** A task's parameter schema as JSON Schema, so the UI can show and check it like any job's. */
export function taskParamsJsonSchema(name: string): Record<string, unknown> | null {
  const task = getTask(name);
  return task ? (z.toJSONSchema(task.params, { io: "input" }) as Record<string, unknown>) : null;
}
