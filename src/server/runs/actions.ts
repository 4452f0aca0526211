"use server";

import { revalidatePath } from "next/cache";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { getSql } from "../db/client";
import { AppError } from "../errors";
import { cancelActiveRuns, rerunFailedRuns } from "./bulk";
import { runFiltersFor } from "./list-query";
import { announceCancel, getRunDispatcher } from "./dispatch";
import { checkParams } from "./params";
import { bulkRunFiltersSchema, cancelRunSchema, requestRunSchema } from "./schemas";
import { findJobToRun } from "./queries";
import { cancelRun, requestRun } from "./service";

export type RequestRunState = ActionState & { runId?: string };

/** Queues a rerun (or manual run) with parameters edited as JSON, checked against the job's schema. */
export async function requestRunAction(_: RequestRunState, form: FormData): Promise<RequestRunState> {
  // The role is checked before the parameters are parsed, so a viewer cannot make the server read them.
  return guardedAction("operator", "Only operators and admins can run jobs.", async ({ workspace, user, db }) => {
    const input = requestRunSchema.safeParse({
      jobId: form.get("jobId"),
      rerunOf: form.get("rerunOf") ?? undefined,
      params: form.get("params") ?? "{}",
    });
    if (!input.success) return fieldErrors(input.error);
    const job = await db((tx) => findJobToRun(tx, { workspaceId: workspace.id, jobId: input.data.jobId }));
    if (!job) return { error: "That job does not exist in this workspace." };
    const checked = checkParams(input.data.params, job.params_schema);
    if (!checked.ok) return { error: checked.error, fieldErrors: checked.fieldErrors };
    const run = await db((tx) =>
      requestRun(tx, {
        workspaceId: workspace.id,
        jobId: job.id,
        params: checked.params,
        rerunOf: input.data.rerunOf ?? null,
        actor: { userId: user.id, email: user.email },
      }),
    );
    await getRunDispatcher()(await getSql(), { id: run.id, workspaceId: workspace.id });
    revalidatePath(`/jobs/${job.id}`);
    return { ok: true, runId: run.id };
  });
}

export async function cancelRunAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = cancelRunSchema.safeParse({ runId: form.get("runId") });
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("operator", "Only operators and admins can cancel runs.", async ({ workspace, user, db }) => {
    await db((tx) => cancelRun(tx, { workspaceId: workspace.id, runId: input.data.runId, actor: { userId: user.id, email: user.email } }));
    // A running attempt sees the cancel in the database within a second and aborts its call;
    // under Inngest the event also stops the function between steps.
    await announceCancel(input.data.runId);
    revalidatePath(`/runs/${input.data.runId}`);
    return { ok: true };
  });
}

export type BulkRunState = ActionState & { count?: number };

/** Reruns every failed run the runs page's filters show (up to the bulk limit). */
export async function rerunFailedRunsAction(_: BulkRunState, form: FormData): Promise<BulkRunState> {
  return guardedAction("operator", "Only operators and admins can rerun runs.", async ({ workspace, user, db }) => {
    const input = bulkRunFiltersSchema.safeParse(formFields(form));
    if (!input.success) return fieldErrors(input.error);
    const queued = await db(async (tx) => {
      const filters = await runFiltersFor(tx, { workspaceId: workspace.id, timezone: workspace.timezone, query: input.data });
      if (!filters) throw new AppError("not_found", "No job has that key in this workspace.");
      return rerunFailedRuns(tx, { filters, actor: { userId: user.id, email: user.email } });
    });
    const sql = await getSql();
    for (const run of queued) await getRunDispatcher()(sql, { id: run.id, workspaceId: workspace.id });
    revalidatePath("/runs");
    return { ok: true, count: queued.length };
  });
}

/** Cancels every queued or running run the runs page's filters show (up to the bulk limit). */
export async function cancelActiveRunsAction(_: BulkRunState, form: FormData): Promise<BulkRunState> {
  return guardedAction("operator", "Only operators and admins can cancel runs.", async ({ workspace, user, db }) => {
    const input = bulkRunFiltersSchema.safeParse(formFields(form));
    if (!input.success) return fieldErrors(input.error);
    const canceled = await db(async (tx) => {
      const filters = await runFiltersFor(tx, { workspaceId: workspace.id, timezone: workspace.timezone, query: input.data });
      if (!filters) throw new AppError("not_found", "No job has that key in this workspace.");
      return cancelActiveRuns(tx, { filters, actor: { userId: user.id, email: user.email } });
    });
    for (const runId of canceled) await announceCancel(runId);
    revalidatePath("/runs");
    return { ok: true, count: canceled.length };
  });
}
