import { z } from "zod";
import { RUN_STATUSES, RUN_TRIGGERS } from "./status";

export const runIdSchema = z.uuid("Unknown run.");

export const requestRunSchema = z.object({
  jobId: z.uuid("Unknown job."),
  rerunOf: z.preprocess((value) => (value === "" ? undefined : value), z.uuid("Unknown run.").optional()),
  params: z.string().max(100_000, "Parameters are too long (100 KB at most).").default("{}"),
});

export const cancelRunSchema = z.object({ runId: runIdSchema });

const blankIsUnset = (value: unknown) => (value === "" || value === null ? undefined : value);
const day = (field: string) => z.preprocess(blankIsUnset, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be a day (YYYY-MM-DD).`).optional());

/**
 * The runs page's filters as a bulk action receives them. Strict, unlike the page's query string:
 * a filter that cannot be read must refuse the action, not widen it to every run.
 */
export const bulkRunFiltersSchema = z.object({
  status: z.preprocess(blankIsUnset, z.enum(RUN_STATUSES, "Unknown status.").optional()),
  trigger: z.preprocess(blankIsUnset, z.enum(RUN_TRIGGERS, "Unknown trigger.").optional()),
  job: z.preprocess(blankIsUnset, z.string().trim().max(200, "Job key is too long.").optional()),
  from: day("From"),
  to: day("To"),
});
