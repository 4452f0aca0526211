import { z } from "zod";
import { cleanJson } from "@/lib/clean-text";
import { decodeCursor, MAX_CURSOR_LENGTH, timeKeyset, type Keyset } from "../db/page";
import { JOB_HEALTH } from "../jobs/health";
import { jobKeysets } from "../jobs/schemas";
import { RUN_STATUSES } from "../runs/status";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const limit = z.coerce
  .number({ error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .int({ error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .min(1, { error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .max(MAX_PAGE_SIZE, { error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  .default(DEFAULT_PAGE_SIZE);

const BAD_CURSOR = "cursor is not valid: pass next_cursor from the previous page unchanged";

/**
 * An opaque cursor from a previous page's `next_cursor`, decoded to the keyset `shape` describes.
 * Unlike a page's, a cursor that cannot be read is refused: a script must not loop on page one.
 */
function cursor<K extends Keyset<string | number>>(shape: z.ZodType<K>) {
  return z
    .string()
    .max(MAX_CURSOR_LENGTH, { error: BAD_CURSOR })
    .transform((text, ctx) => {
      const value = decodeCursor(text, shape);
      if (value === undefined) {
        ctx.addIssue({ code: "custom", message: BAD_CURSOR });
        return z.NEVER;
      }
      return value;
    })
    .optional();
}

// Unknown parameters are refused, so a typo (`?stauts=failed`) is not silently ignored.
export const jobsQuerySchema = z.strictObject({
  limit,
  // The API lists jobs by title only: the jobs page's title order.
  cursor: cursor(jobKeysets.title),
  health: z.enum(JOB_HEALTH, { error: `health must be one of ${JOB_HEALTH.join(", ")}` }).optional(),
  tag: z.string().min(1, { error: "tag must not be empty" }).max(100, { error: "tag must be at most 100 characters" }).optional(),
});

export const runsQuerySchema = z.strictObject({
  limit,
  cursor: cursor(timeKeyset),
  status: z.enum(RUN_STATUSES, { error: `status must be one of ${RUN_STATUSES.join(", ")}` }).optional(),
});

export const incidentsQuerySchema = z.strictObject({
  limit,
  cursor: cursor(timeKeyset),
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
  // PostgreSQL refuses a NUL in a parameter: cleaned here, it cannot turn a query into a 500.
  const parsed = schema.safeParse(cleanJson(Object.fromEntries(params)));
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const name = issue.keys[0]!;
    return { problem: { error: `Unknown query parameter: ${name}`, field: name } };
  }
  const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  return { problem: field ? { error: issue.message, field } : { error: issue.message } };
}
