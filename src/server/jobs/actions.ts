"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fieldErrors, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { setJobPaused } from "./service";

const pauseSchema = z.object({
  jobId: z.uuid("Unknown job."),
  paused: z.enum(["true", "false"], { error: "paused must be true or false" }).transform((value) => value === "true"),
});

export async function setJobPausedAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = pauseSchema.safeParse({ jobId: form.get("jobId"), paused: form.get("paused") });
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("operator", "Only operators and admins can pause or resume jobs.", async ({ workspace, user, db }) => {
    await db((tx) =>
      setJobPaused(tx, { workspaceId: workspace.id, jobId: input.data.jobId, isPaused: input.data.paused, actor: { userId: user.id, email: user.email } }),
    );
    revalidatePath(`/jobs/${input.data.jobId}`);
    return { ok: true };
  });
}
