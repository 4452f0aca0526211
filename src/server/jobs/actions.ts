"use server";

import { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { serverMessage } from "@/lib/i18n/server-messages";
import { workspaceAction } from "../auth/workspace-action";
import { setJobBadge } from "./badge";
import { setJobPaused } from "./service";
import { jobFormSchema, jobValues } from "./definition";
import { createJob, deleteJob, updateJob } from "./definition-service";
import { isJobKeyTaken } from "./queries";

const trueOrFalse = (name: string) =>
  z.enum(["true", "false"], { error: `${name} must be true or false` }).transform((value) => value === "true");

const pauseSchema = z.object({ jobId: z.uuid("Unknown job."), paused: trueOrFalse("paused") });
const badgeSchema = z.object({ jobId: z.uuid("Unknown job."), enabled: trueOrFalse("enabled") });
const deleteJobSchema = z.object({
  jobId: z.uuid("Unknown job."),
  confirmKey: z.string().trim().min(1, "Type the job's key to confirm"),
});
const saveJobSchema = jobFormSchema.and(z.object({ jobId: z.uuid("Unknown job.").optional() }));

export const setJobPausedAction = workspaceAction(
  { role: "operator", refusal: "jobs.pauseRefused", schema: pauseSchema, revalidate: (input) => [`/jobs/${input.jobId}`] },
  (input, { workspace, actor, db }) => db((tx) => setJobPaused(tx, { workspaceId: workspace.id, jobId: input.jobId, isPaused: input.paused, actor })),
);

type SavedJob = ActionState & { jobId?: string };

/** Creates or edits a job from the job form (admins), then opens it. */
export const saveJobAction = workspaceAction<typeof saveJobSchema, SavedJob>(
  {
    role: "admin",
    refusal: "jobs.editRefused",
    schema: saveJobSchema,
    // Every problem in one round: a taken key too, which otherwise shows only once the rest is right.
    invalid: async (refused, form, { workspace, db, locale }) => {
      const jobKey = String(form.get("jobKey") ?? "").trim();
      const jobId = z.uuid().safeParse(form.get("jobId"));
      if (refused.fieldErrors?.jobKey || !jobKey) return refused;
      const exceptJobId = jobId.success ? jobId.data : null;
      const taken = await db((tx) => isJobKeyTaken(tx, { workspaceId: workspace.id, jobKey, exceptJobId }));
      return taken ? { ...refused, fieldErrors: { ...refused.fieldErrors, jobKey: serverMessage("jobs.keyTaken", locale) } } : refused;
    },
    revalidate: () => ["/jobs"],
    redirectTo: (_, saved) => `/jobs/${saved.jobId}`,
  },
  async (input, { workspace, actor, db }) => {
    const slack = { set: input.slackWebhookUrl, clear: input.clearSlackWebhook };
    const values = jobValues(input);
    const jobId = await db(async (tx) => {
      if (!input.jobId) return createJob(tx, { workspaceId: workspace.id, values, slack, actor });
      await updateJob(tx, { workspaceId: workspace.id, jobId: input.jobId, values, slack, actor });
      return input.jobId;
    });
    return { ok: true, jobId };
  },
);

/** Publishes (or withdraws) the job's SVG status badge. */
export const setJobBadgeAction = workspaceAction(
  { role: "admin", refusal: "jobs.badgeRefused", schema: badgeSchema, revalidate: (input) => [`/jobs/${input.jobId}`] },
  (input, { workspace, actor, db }) => db((tx) => setJobBadge(tx, { workspaceId: workspace.id, jobId: input.jobId, enabled: input.enabled, actor })),
);

export const deleteJobAction = workspaceAction(
  { role: "admin", refusal: "jobs.deleteRefused", schema: deleteJobSchema, revalidate: () => [{ layout: "/" }], redirectTo: () => "/jobs" },
  async (input, { workspace, actor, db }) => {
    await db((tx) => deleteJob(tx, { workspaceId: workspace.id, jobId: input.jobId, confirmKey: input.confirmKey, actor }));
    return { ok: true };
  },
);
