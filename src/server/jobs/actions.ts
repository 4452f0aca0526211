"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { setJobBadge } from "./badge";
import { setJobPaused } from "./service";
import { jobFormSchema, jobValues } from "./definition";
import { JOB_KEY_TAKEN, createJob, deleteJob, updateJob } from "./definition-service";
import { isJobKeyTaken } from "./queries";

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

/** Creates or edits a job from the job form (admins), then opens it. */
export async function saveJobAction(_: ActionState, form: FormData): Promise<ActionState> {
  let savedId: string | null = null;
  // The role is checked before the form is parsed: parsing a schema costs, and costs nothing to send.
  const result = await guardedAction("admin", "Only admins can create and edit jobs.", async ({ workspace, user, db }) => {
    const values = formFields(form);
    const parsed = jobFormSchema.safeParse(values);
    const jobId = z.uuid().safeParse(values.jobId).success ? String(values.jobId) : null;
    if (!parsed.success) {
      // Every problem in one round: a taken key too, which otherwise shows only once the rest is right.
      const refused = fieldErrors(parsed.error);
      if (!refused.fieldErrors?.jobKey && values.jobKey && (await db((tx) => isJobKeyTaken(tx, { workspaceId: workspace.id, jobKey: values.jobKey!.trim(), exceptJobId: jobId })))) {
        refused.fieldErrors = { ...refused.fieldErrors, jobKey: JOB_KEY_TAKEN };
      }
      return refused;
    }
    const slack = { set: parsed.data.slackWebhookUrl, clear: parsed.data.clearSlackWebhook };
    const actor = { userId: user.id, email: user.email };
    const jobValuesToSave = jobValues(parsed.data);
    savedId = await db(async (tx) => {
      if (jobId) {
        await updateJob(tx, { workspaceId: workspace.id, jobId, values: jobValuesToSave, slack, actor });
        return jobId;
      }
      return createJob(tx, { workspaceId: workspace.id, values: jobValuesToSave, slack, actor });
    });
    return { ok: true };
  });
  if (!result.ok || !savedId) return result;
  revalidatePath("/jobs");
  redirect(`/jobs/${savedId}`);
}

const badgeSchema = z.object({
  jobId: z.uuid("Unknown job."),
  enabled: z.enum(["true", "false"], { error: "enabled must be true or false" }).transform((value) => value === "true"),
});

/** Publishes (or withdraws) the job's SVG status badge. */
export async function setJobBadgeAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = badgeSchema.safeParse({ jobId: form.get("jobId"), enabled: form.get("enabled") });
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", "Only admins can turn a job's status badge on or off.", async ({ workspace, user, db }) => {
    await db((tx) =>
      setJobBadge(tx, { workspaceId: workspace.id, jobId: input.data.jobId, enabled: input.data.enabled, actor: { userId: user.id, email: user.email } }),
    );
    revalidatePath(`/jobs/${input.data.jobId}`);
    return { ok: true };
  });
}

const deleteJobSchema = z.object({
  jobId: z.uuid("Unknown job."),
  confirmKey: z.string().trim().min(1, "Type the job's key to confirm"),
});

export async function deleteJobAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = deleteJobSchema.safeParse({ jobId: form.get("jobId"), confirmKey: form.get("confirmKey") });
  if (!input.success) return fieldErrors(input.error);
  const result = await guardedAction("admin", "Only admins can delete jobs.", async ({ workspace, user, db }) => {
    await db((tx) => deleteJob(tx, { workspaceId: workspace.id, jobId: input.data.jobId, confirmKey: input.data.confirmKey, actor: { userId: user.id, email: user.email } }));
    return { ok: true };
  });
  if (!result.ok) return result;
  revalidatePath("/", "layout");
  redirect("/jobs");
}
