import { z } from "zod";
import { decodeCursor } from "@/lib/cursor";
import { JOB_HEALTH } from "../jobs/health";
import { RUN_STATUSES } from "../runs/status";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const limit = z.coerce
  .number({ error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .int({ error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .min(1, { error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .max(MAX_PAGE_SIZE, { error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .default(DEFAULT_PAGE_SIZE);

/** An opaque cursor from a previous page's `next_cursor`, decoded to what `schema` describes. */
function cursor<T>(schema: z.ZodType<T>) {
  return z
    .string()
    .max(500, { error: "cursor is not valid: pass next_cursor from the previous page unchanged" })
    .transform((text, ctx) => {
      const value = decodeCursor(text, schema);
      if (value === undefined) {
        ctx.addIssue({ code: "custom", message: "cursor is not valid: pass next_cursor from the previous page unchanged" });
        return z.NEVER;
      }
      return value;
    })
    .optional();
}

export const jobCursorSchema = z.object({ title: z.string(), id: z.uuid() });
/** `at` is a timestamp to the microsecond (as PostgreSQL keeps it), so no row is skipped between pages. */
export const timeCursorSchema = z.object({ at: z.iso.datetime(), id: z.uuid() });
export type TimeCursor = z.infer<typeof timeCursorSchema>;

// Unknown parameters are refused, so a typo (`?stauts=failed`) is not silently ignored.
export const jobsQuerySchema = z.strictObject({
  limit,
  cursor: cursor(jobCursorSchema),
  health: z.enum(JOB_HEALTH, { error: `health must be one of ${JOB_HEALTH.join(", ")}` }).optional(),
  tag: z.string().min(1, { error: "tag must not be empty" }).max(100, { error: "tag must be at most 100 characters" }).optional(),
});

export const runsQuerySchema = z.strictObject({
  limit,
  cursor: cursor(timeCursorSchema),
  status: z.enum(RUN_STATUSES, { error: `status must be one of ${RUN_STATUSES.join(", ")}` }).optional(),
});

export const incidentsQuerySchema = z.strictObject({
  limit,
  cursor: cursor(timeCursorSchema),
});

export type QueryProblem = { error: string; field?: string };

/**
 * The query string parsed by `schema`, or the first problem with the parameter it names.
 * A parameter given twice is refused rather than guessed at.
 */
export function parseQuery<T extends z.ZodType>(
  schema: T,
  params: URLSearchParams,
): { data: z.infer<T> } | { problem: QueryProblem } {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) return { problem: { error: `${name} must be given once`, field: name } };
    seen.add(name);
  }
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const name = issue.keys[0]!;
    return { problem: { error: `Unknown query parameter: ${name}`, field: name } };
  }
  const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  return { problem: field ? { error: issue.message, field } : { error: issue.message } };
}
