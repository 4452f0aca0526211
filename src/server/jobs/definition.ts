import { z } from "zod";
import { parseCleanJson } from "@/lib/clean-text";
import { isTimeZone } from "@/lib/timezone";
import { HTTP_MAX_TIMEOUT_SECONDS } from "./http-target";
import { checkParams } from "../runs/params";
import { PARAMS_SCHEMA_LIMITS, paramsSchemaProblem } from "../runs/params-schema";
import { slackWebhookUrlSchema } from "../settings/schemas";
import { cronProblem } from "../schedule/slots";
import { getTask, taskParamsJsonSchema } from "../tasks";

const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalInt = (min: number, max: number, label: string) =>
  z.preprocess(blank, z.coerce.number({ error: `${label} must be a number` }).int(`${label} must be a whole number`).min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`).optional());
const optionalNumber = (min: number, max: number, label: string) =>
  z.preprocess(blank, z.coerce.number({ error: `${label} must be a number` }).min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`).optional());


function parseJsonObject(text: string | undefined): Record<string, unknown> | null | "invalid" {
  if (!text || !text.trim()) return null;
  try {
    const value: unknown = parseCleanJson(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : "invalid";
  } catch {
    return "invalid";
  }
}

/** The job form, as the browser sends it (every value a string; checkboxes "on" or absent). */
export const jobFormSchema = z
  .object({
    jobKey: z.string().trim().min(1, "Give the job a key").max(200).regex(/^[A-Za-z0-9._:-]+$/, "Use letters, digits and . _ : - only"),
    title: z.string().trim().min(1, "Give the job a title").max(200),
    description: z.preprocess(blank, z.string().max(2000).optional()),
    kind: z.enum(["reported", "http", "task", "agent"], { error: "Choose how the job runs" }),
    agentLabel: z.preprocess(blank, z.string().trim().max(50, "Labels are at most 50 characters").regex(/^[A-Za-z0-9._:-]+$/, "Use letters, digits and . _ : - only").optional()),
    httpMethod: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
    httpUrl: z.preprocess(blank, z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL" }).optional()),
    httpHeaders: z.preprocess(blank, z.string().max(5000).optional()),
    taskName: z.preprocess(blank, z.string().max(100).optional()),
    scheduleType: z.enum(["none", "cron", "period"]).default("none"),
    cron: z.preprocess(blank, z.string().max(120).optional()),
    timezone: z.string().trim().refine(isTimeZone, "Unknown timezone (use an IANA name like Asia/Tokyo)").default("Asia/Tokyo"),
    periodSeconds: optionalInt(60, 31_536_000, "The period"),
    graceSeconds: optionalInt(0, 604_800, "Grace"),
    timeoutSeconds: optionalInt(1, 86_400, "Timeout"),
    maxRetries: z.preprocess(blank, z.coerce.number().int().min(0, "Retries must be 0 to 20").max(20, "Retries must be 0 to 20").default(0)),
    failureThreshold: optionalInt(1, 100, "The failure threshold"),
    recoveryThreshold: optionalInt(1, 100, "The recovery threshold"),
    reminderHours: optionalInt(1, 168, "Reminders"),
    stallMinutes: optionalInt(1, 1440, "Stall minutes"),
    minDurationSeconds: optionalInt(1, 604_800, "The minimum duration"),
    maxDurationSeconds: optionalInt(1, 604_800, "The maximum duration"),
    slowP95Factor: optionalNumber(1, 1000, "The p95 factor"),
    slowP95Runs: optionalInt(5, 1000, "The number of runs"),
    concurrencyPolicy: z.enum(["allow", "forbid", "replace"]).default("allow"),
    enabled: z.preprocess((value) => value === "on" || value === "true", z.boolean()),
    notifyPolicy: z.enum(["failures_and_recoveries", "every_run", "never"]).default("failures_and_recoveries"),
    paramsSchema: z.preprocess(
      blank,
      z.string().max(PARAMS_SCHEMA_LIMITS.chars, `The parameter schema must be at most ${PARAMS_SCHEMA_LIMITS.chars.toLocaleString("en")} characters`).optional(),
    ),
    defaultParams: z.preprocess(blank, z.string().max(20_000).optional()),
    slackWebhookUrl: z.preprocess(blank, slackWebhookUrlSchema.optional()),
    clearSlackWebhook: z.preprocess((value) => value === "on", z.boolean()),
  })
  .superRefine((form, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (form.kind === "http" && !form.httpUrl) problem("httpUrl", "An HTTP job needs a URL to call");
    if (form.kind === "http" && form.timeoutSeconds && form.timeoutSeconds > HTTP_MAX_TIMEOUT_SECONDS) {
      problem("timeoutSeconds", `An HTTP job's timeout is at most ${HTTP_MAX_TIMEOUT_SECONDS} seconds`);
    }
    if (form.kind === "task" && !getTask(form.taskName)) problem("taskName", "Choose one of the registered tasks");
    if (form.scheduleType === "cron") {
      if (!form.cron) problem("cron", "Enter a cron expression");
      else {
        const cronIssue = cronProblem(form.cron, form.timezone);
        if (cronIssue) problem("cron", cronIssue);
      }
    }
    if (form.minDurationSeconds && form.maxDurationSeconds && form.minDurationSeconds >= form.maxDurationSeconds) {
      problem("maxDurationSeconds", "The maximum duration must be longer than the minimum");
    }
    if (form.scheduleType === "period" && !form.periodSeconds) problem("periodSeconds", "Enter how many seconds apart runs are");
    const headers = parseJsonObject(form.httpHeaders);
    if (headers === "invalid" || (headers && Object.values(headers).some((value) => typeof value !== "string"))) {
      problem("httpHeaders", 'Headers are a JSON object of strings, like {"Authorization": "Bearer …"}');
    }
    const schema = parseJsonObject(form.paramsSchema);
    if (schema === "invalid") problem("paramsSchema", "The parameter schema must be a JSON object (JSON Schema)");
    const schemaProblem = schema && schema !== "invalid" ? paramsSchemaProblem(schema) : null;
    if (schemaProblem) problem("paramsSchema", schemaProblem);
    const effectiveSchema = form.kind === "task" && form.taskName ? taskParamsJsonSchema(form.taskName) : schema === "invalid" || schemaProblem ? null : schema;
    const checked = checkParams(form.defaultParams ?? "{}", effectiveSchema);
    if (!checked.ok) {
      const details = Object.entries(checked.fieldErrors).map(([field, message]) => `${field}: ${message}`).join("; ");
      problem("defaultParams", `${checked.error}${details ? ` ${details}` : ""}`);
    }
  });

export type JobForm = z.infer<typeof jobFormSchema>;

/** The columns a valid form sets (the Slack webhook goes to job_secrets, apart). */
export function jobValues(form: JobForm) {
  const headers = parseJsonObject(form.httpHeaders);
  const schema = parseJsonObject(form.paramsSchema);
  return {
    job_key: form.jobKey,
    title: form.title,
    description: form.description ?? null,
    kind: form.kind,
    http_target: form.kind === "http" ? { method: form.httpMethod, url: form.httpUrl!, headers: headers && headers !== "invalid" ? headers : {} } : null,
    task_name: form.kind === "task" ? form.taskName! : null,
    agent_label: form.kind === "agent" ? (form.agentLabel ?? null) : null,
    schedule_cron: form.scheduleType === "cron" ? form.cron!.trim() : null,
    schedule_timezone: form.scheduleType === "cron" ? form.timezone : null,
    schedule_period_seconds: form.scheduleType === "period" ? form.periodSeconds! : null,
    grace_seconds: form.graceSeconds ?? null,
    timeout_seconds: form.timeoutSeconds ?? null,
    max_retries: form.maxRetries,
    failure_threshold: form.failureThreshold ?? 1,
    recovery_threshold: form.recoveryThreshold ?? 1,
    reminder_hours: form.reminderHours ?? null,
    stall_minutes: form.stallMinutes ?? null,
    min_duration_seconds: form.minDurationSeconds ?? null,
    max_duration_seconds: form.maxDurationSeconds ?? null,
    slow_p95_factor: form.slowP95Factor ?? null,
    slow_p95_runs: form.slowP95Runs ?? 20,
    concurrency_policy: form.concurrencyPolicy,
    enabled: form.enabled,
    notify_policy: form.notifyPolicy,
    params_schema: form.kind === "task" ? taskParamsJsonSchema(form.taskName!) : schema && schema !== "invalid" ? schema : null,
    default_params: (parseJsonObject(form.defaultParams) as Record<string, unknown> | null) ?? {},
  };
}

export type JobValues = ReturnType<typeof jobValues>;
