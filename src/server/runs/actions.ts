"use server";

import type { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { serverMessage } from "@/lib/i18n/server-messages";
import { workspaceAction, type ActionContext } from "../auth/workspace-action";
import { getSql } from "../db/client";
import type { Tx } from "../db/transactions";
import { AppError } from "../errors";
import { cancelActiveRuns, rerunFailedRuns } from "./bulk";
import { runFiltersFor } from "./list-query";
import { announceCancel, getRunDispatcher } from "./dispatch";
import { checkParams } from "./params";
import { bulkRunFiltersSchema, cancelRunSchema, requestRunSchema } from "./schemas";
import { findJobToRun, type RunFilters } from "./queries";
import { cancelRun, requestRun } from "./service";

export type RequestRunState = ActionState & { runId?: string };

/** Queues a rerun (or manual run) with parameters edited as JSON, checked against the job's schema. */
export const requestRunAction = workspaceAction<typeof requestRunSchema, RequestRunState>(
  {
    role: "operator",
    refusal: "runs.runRefused",
    schema: requestRunSchema,
    read: (form) => ({ jobId: form.get("jobId"), rerunOf: form.get("rerunOf") ?? undefined, params: form.get("params") ?? "{}" }),
    revalidate: (input) => [`/jobs/${input.jobId}`],
  },
  async (input, { workspace, actor, db, locale }) => {
    const job = await db((tx) => findJobToRun(tx, { workspaceId: workspace.id, jobId: input.jobId }));
    if (!job) return { error: serverMessage("jobs.notFound", locale) };
    const checked = checkParams(input.params, job.params_schema);
    if (!checked.ok) return { error: checked.error, fieldErrors: checked.fieldErrors };
    const run = await db((tx) =>
      requestRun(tx, { workspaceId: workspace.id, jobId: job.id, params: checked.params, rerunOf: input.rerunOf ?? null, actor }),
    );
    await getRunDispatcher()(await getSql(), { id: run.id, workspaceId: workspace.id });
    return { ok: true, runId: run.id };
  },
);

export const cancelRunAction = workspaceAction(
  { role: "operator", refusal: "runs.cancelRefused", schema: cancelRunSchema, revalidate: (input) => [`/runs/${input.runId}`] },
  async (input, { workspace, actor, db }) => {
    await db((tx) => cancelRun(tx, { workspaceId: workspace.id, runId: input.runId, actor }));
    // A running attempt sees the cancel in the database within a second and aborts its call;
    // under Inngest the event also stops the function between steps.
    await announceCancel(input.runId);
    return { ok: true };
  },
);

export type BulkRunState = ActionState & { count?: number };

/** The runs page's filters, resolved in the workspace; a job key that is not there refuses the bulk action. */
async function filteredRuns<T>(
  query: z.output<typeof bulkRunFiltersSchema>,
  { workspace, db }: ActionContext,
  act: (tx: Tx, filters: RunFilters) => Promise<T>,
): Promise<T> {
  return db(async (tx) => {
    const filters = await runFiltersFor(tx, { workspaceId: workspace.id, timezone: workspace.timezone, query });
    if (!filters) throw new AppError("not_found", "jobs.noJobWithKey");
    return act(tx, filters);
  });
}

/** Reruns every failed run the runs page's filters show (up to the bulk limit). */
export const rerunFailedRunsAction = workspaceAction<typeof bulkRunFiltersSchema, BulkRunState>(
  { role: "operator", refusal: "runs.rerunRefused", schema: bulkRunFiltersSchema, revalidate: () => ["/runs"] },
  async (input, context) => {
    const queued = await filteredRuns(input, context, (tx, filters) => rerunFailedRuns(tx, { filters, actor: context.actor }));
    const sql = await getSql();
    for (const run of queued) await getRunDispatcher()(sql, { id: run.id, workspaceId: context.workspace.id });
    return { ok: true, count: queued.length };
  },
);

/** Cancels every queued or running run the runs page's filters show (up to the bulk limit). */
export const cancelActiveRunsAction = workspaceAction<typeof bulkRunFiltersSchema, BulkRunState>(
  { role: "operator", refusal: "runs.cancelRefused", schema: bulkRunFiltersSchema, revalidate: () => ["/runs"] },
  async (input, context) => {
    const canceled = await filteredRuns(input, context, (tx, filters) => cancelActiveRuns(tx, { filters, actor: context.actor }));
    for (const runId of canceled) await announceCancel(runId);
    return { ok: true, count: canceled.length };
  },
);
