import { z } from "zod";

export const runIdSchema = z.uuid("Unknown run.");

export const requestRunSchema = z.object({
  jobId: z.uuid("Unknown job."),
  rerunOf: z.preprocess((value) => (value === "" ? undefined : value), z.uuid("Unknown run.").optional()),
  params: z.string().max(100_000, "Parameters are too long (100 KB at most).").default("{}"),
});

export const cancelRunSchema = z.object({ runId: runIdSchema });
