import { z } from "zod";
import { REPORT_LIMITS } from "./limits";
import { durationProblem, isImpossibleCalendarDay, reportedTimeProblem } from "./times";

// Messages for seed 003's fields are the ones its scripts already know; keep them verbatim.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const isoDate = (field: string) =>
  z
    .string({ error: `${field} must be valid ISO 8601` })
    .refine(
      (value) => ISO_8601.test(value) && !Number.isNaN(Date.parse(value)) && !isImpossibleCalendarDay(value),
      `${field} must be valid ISO 8601`,
    )
    .transform((value, ctx) => {
      const time = new Date(value);
      const problem = reportedTimeProblem(field, time);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
      return time;
    });

const optionalText = (field: string) => z.string({ error: `${field} must be a string` }).nullish();

export const reportEventSchema = z
  .enum(["start", "finish", "progress"], { error: "event must be 'start', 'finish' or 'progress'" })
  .default("finish");

/** Every field a report may carry; which are required depends on the event (below). */
export const reportSchema = z.object({
  event: reportEventSchema,
  job_key: z
    .string({ error: "job_key is required" })
    .trim()
    .min(1, "job_key is required")
    .max(REPORT_LIMITS.jobKeyChars, `job_key must be at most ${REPORT_LIMITS.jobKeyChars} characters`),
  title: optionalText("title"),
  status: z.enum(["success", "error"], { error: "status must be 'success' or 'error'" }).nullish(),
  finished_at: isoDate("finished_at").nullish(),
  started_at: isoDate("started_at").nullish(),
  run_id: z
    .string({ error: "run_id must be a string" })
    .min(1, "run_id must not be empty")
    .max(REPORT_LIMITS.runIdChars, `run_id must be at most ${REPORT_LIMITS.runIdChars} characters`)
    .nullish(),
  tool_id: optionalText("tool_id"),
  message: optionalText("message"),
  exit_code: z
    .number({ error: "exit_code must be an integer" })
    .int("exit_code must be an integer")
    .min(-2147483648, "exit_code must fit in 32 bits")
    .max(2147483647, "exit_code must fit in 32 bits")
    .nullish(),
  duration_ms: z
    .number({ error: "duration_ms must be a number of milliseconds" })
    .int("duration_ms must be a whole number of milliseconds")
    .min(0, "duration_ms must not be negative")
    .max(Number.MAX_SAFE_INTEGER)
    .nullish(),
  stderr: optionalText("stderr"),
  log: optionalText("log"),
  host: optionalText("host"),
  tags: z.array(z.string({ error: "tags must be strings" }), { error: "tags must be a list of strings" }).nullish(),
  stage: optionalText("stage"),
  stages: z.array(z.string({ error: "stages must be strings" }), { error: "stages must be a list of strings" }).nullish(),
  percent: z
    .number({ error: "percent must be a number from 0 to 100" })
    .min(0, "percent must be a number from 0 to 100")
    .max(100, "percent must be a number from 0 to 100")
    .nullish(),
});

export type Report = z.infer<typeof reportSchema>;

export type ReportProblem = { error: string; field: string };

/** The fields each event needs beyond the common ones, named as seed 003 names them. */
export function missingForEvent(report: Report): ReportProblem | null {
  if (report.event === "finish") {
    // Seed 003 always sends a title, and an empty one is refused as it was. A reporter that
    // leaves it out (`jobboard run` without --title) keeps an existing job's title; a new job
    // is titled by its key.
    if (report.title != null && !report.title.trim()) return { error: "title is required", field: "title" };
    if (!report.status) return { error: "status must be 'success' or 'error'", field: "status" };
    if (!report.finished_at) return { error: "finished_at is required", field: "finished_at" };
  }
  if (report.event === "progress" && !report.run_id) {
    return { error: "run_id is required for progress reports", field: "run_id" };
  }
  if (report.started_at && report.finished_at && report.started_at > report.finished_at) {
    return { error: "started_at must not be after finished_at", field: "started_at" };
  }
  const reachesBack = report.finished_at && report.duration_ms != null ? durationProblem(report.finished_at, report.duration_ms) : null;
  if (reachesBack) return { error: reachesBack, field: "duration_ms" };
  return null;
}

/** Parses a decoded JSON body (already cleaned by parseCleanJson) into a report, or the first problem with its field. */
export function parseReport(body: unknown): { report: Report } | { problem: ReportProblem } {
  const parsed = reportSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: { error: issue.message, field: issue.path.map(String).join(".") } };
  }
  const problem = missingForEvent(parsed.data);
  return problem ? { problem } : { report: parsed.data };
}
