import type { JobKind } from "./health";
import { httpTargetSchema } from "./http-target";
import type { JobRow } from "./queries";

/** What the job form starts from: every field as the text it shows, as saveJobAction reads it back. */
export type JobFormDefaults = {
  jobId?: string;
  jobKey: string;
  title: string;
  description: string;
  kind: JobKind;
  agentLabel: string;
  httpMethod: string;
  httpUrl: string;
  httpHeaders: string;
  taskName: string;
  scheduleType: "none" | "cron" | "period";
  cron: string;
  timezone: string;
  periodSeconds: string;
  graceSeconds: string;
  timeoutSeconds: string;
  maxRetries: string;
  failureThreshold: string;
  recoveryThreshold: string;
  reminderHours: string;
  stallMinutes: string;
  minDurationSeconds: string;
  maxDurationSeconds: string;
  slowP95Factor: string;
  slowP95Runs: string;
  concurrencyPolicy: JobRow["concurrency_policy"];
  enabled: boolean;
  notifyPolicy: JobRow["notify_policy"];
  paramsSchema: string;
  defaultParams: string;
  hasSlackWebhook: boolean;
};

// Offered when a schedule is first picked, so switching to one shows a working example.
const EXAMPLE_CRON = "0 3 * * *";
const EXAMPLE_PERIOD_SECONDS = 3600;

const text = (value: number | null) => (value === null ? "" : String(value));
const json = (value: unknown) => (value == null ? "" : JSON.stringify(value, null, 2));

/**
 * The job form's starting values: a new job's (`saved` absent), or a saved job's settings as
 * text. A new job runs over HTTP, unscheduled, one at a time, with a five-minute timeout.
 */
export function jobFormDefaults(workspaceTimezone: string, saved?: { job: JobRow; hasSlackWebhook: boolean }): JobFormDefaults {
  if (!saved) {
    return {
      jobKey: "",
      title: "",
      description: "",
      kind: "http",
      agentLabel: "",
      httpMethod: "POST",
      httpUrl: "",
      httpHeaders: "",
      taskName: "",
      scheduleType: "none",
      cron: EXAMPLE_CRON,
      timezone: workspaceTimezone,
      periodSeconds: String(EXAMPLE_PERIOD_SECONDS),
      graceSeconds: "",
      timeoutSeconds: "300",
      maxRetries: "0",
      failureThreshold: "1",
      recoveryThreshold: "1",
      reminderHours: "",
      stallMinutes: "",
      minDurationSeconds: "",
      maxDurationSeconds: "",
      slowP95Factor: "",
      slowP95Runs: "20",
      concurrencyPolicy: "forbid",
      enabled: true,
      notifyPolicy: "failures_and_recoveries",
      paramsSchema: "",
      defaultParams: "{}",
      hasSlackWebhook: false,
    };
  }
  const { job, hasSlackWebhook } = saved;
  const target = httpTargetSchema.safeParse(job.http_target);
  return {
    jobId: job.id,
    jobKey: job.job_key,
    title: job.title,
    description: job.description ?? "",
    kind: job.kind,
    agentLabel: job.agent_label ?? "",
    httpMethod: target.success ? target.data.method : "POST",
    httpUrl: target.success ? target.data.url : "",
    httpHeaders: target.success && Object.keys(target.data.headers).length > 0 ? json(target.data.headers) : "",
    taskName: job.task_name ?? "",
    scheduleType: job.schedule_cron ? "cron" : job.schedule_period_seconds ? "period" : "none",
    cron: job.schedule_cron ?? EXAMPLE_CRON,
    timezone: job.schedule_timezone ?? workspaceTimezone,
    periodSeconds: String(job.schedule_period_seconds ?? EXAMPLE_PERIOD_SECONDS),
    graceSeconds: text(job.grace_seconds),
    timeoutSeconds: text(job.timeout_seconds),
    maxRetries: String(job.max_retries),
    failureThreshold: String(job.failure_threshold),
    recoveryThreshold: String(job.recovery_threshold),
    reminderHours: text(job.reminder_hours),
    stallMinutes: text(job.stall_minutes),
    minDurationSeconds: text(job.min_duration_seconds),
    maxDurationSeconds: text(job.max_duration_seconds),
    slowP95Factor: text(job.slow_p95_factor),
    slowP95Runs: String(job.slow_p95_runs),
    concurrencyPolicy: job.concurrency_policy,
    enabled: job.enabled,
    notifyPolicy: job.notify_policy,
    // A task's parameters are checked against the schema its code declares, not one typed here.
    paramsSchema: job.kind === "task" ? "" : json(job.params_schema),
    defaultParams: json(job.default_params) || "{}",
    hasSlackWebhook,
  };
}
