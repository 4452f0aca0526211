import { z } from "zod";
import { REPORT_LIMITS } from "../ingest/limits";
import { durationProblem, isImpossibleCalendarDay, reportedTimeProblem } from "../ingest/times";

// What agents send: data from machines outside Jobboard, parsed where it enters.
const text = (field: string, max: number) =>
  z.string({ error: `${field} must be a string` }).max(max, `${field} must be at most ${max} characters`);
const isoDate = (field: string) =>
  z.iso
    .datetime({ offset: true, error: `${field} must be an ISO 8601 time` })
    .refine((value) => !isImpossibleCalendarDay(value), `${field} must be an ISO 8601 time`)
    .transform((value, ctx) => {
      const time = new Date(value);
      const problem = reportedTimeProblem(field, time);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
      return time;
    });

export const AGENT_LIMITS = { jobs: 200, labels: 20, tailBytes: 16 * 1024, finishTailBytes: REPORT_LIMITS.tailBytes, maxWaitMs: 25_000 };

const jobKey = z
  .string({ error: "job_key is required" })
  .trim()
  .min(1, "job_key is required")
  .max(REPORT_LIMITS.jobKeyChars, `job_key must be at most ${REPORT_LIMITS.jobKeyChars} characters`);
const label = z.string({ error: "labels must be strings" }).trim().min(1, "labels must not be empty").max(50, "labels must be at most 50 characters");

export const registerSchema = z.object({
  host: text("host", 255).nullish(),
  os: text("os", 100).nullish(),
  version: text("version", 50).nullish(),
  max_concurrency: z.number({ error: "max_concurrency must be a whole number" }).int("max_concurrency must be a whole number").min(1, "max_concurrency must be at least 1").max(64, "max_concurrency must be at most 64").default(1),
  labels: z.array(label, { error: "labels must be a list of strings" }).max(AGENT_LIMITS.labels, `labels: at most ${AGENT_LIMITS.labels}`).default([]),
  jobs: z
    .array(z.object({ job_key: jobKey, title: text("title", 200).nullish() }), { error: "jobs must be a list of {job_key, title}" })
    .max(AGENT_LIMITS.jobs, `jobs: at most ${AGENT_LIMITS.jobs}`)
    .default([]),
});

export const claimSchema = z.object({
  capacity: z.number({ error: "capacity must be a whole number" }).int("capacity must be a whole number").min(0, "capacity must not be negative").max(64, "capacity must be at most 64").default(1),
  wait_ms: z.number({ error: "wait_ms must be a number" }).int("wait_ms must be a whole number").min(0, "wait_ms must not be negative").default(0),
});

const runId = z.uuid({ error: "run_id must be a run's id (a UUID)" });

export const heartbeatSchema = z.object({
  load: z.number({ error: "load must be a number" }).min(0, "load must not be negative").max(10_000).nullish(),
  runs: z
    .array(
      z.object({
        run_id: runId,
        stdout_tail: z.string({ error: "stdout_tail must be a string" }).nullish(),
        stderr_tail: z.string({ error: "stderr_tail must be a string" }).nullish(),
        stage: text("stage", REPORT_LIMITS.stageChars).nullish(),
        percent: z.number({ error: "percent must be a number" }).min(0, "percent must be between 0 and 100").max(100, "percent must be between 0 and 100").nullish(),
        message: z.string({ error: "message must be a string" }).nullish(),
      }),
      { error: "runs must be a list" },
    )
    .max(64, "runs: at most 64")
    .default([]),
});

export const finishSchema = z.object({
  run_id: runId,
  exit_code: z.number({ error: "exit_code must be an integer" }).int("exit_code must be an integer").min(-2147483648).max(2147483647).nullish(),
  signal: text("signal", 20).nullish(),
  started_at: isoDate("started_at").nullish(),
  finished_at: isoDate("finished_at"),
  duration_ms: z.number({ error: "duration_ms must be a number" }).int("duration_ms must be a whole number").min(0, "duration_ms must not be negative").max(Number.MAX_SAFE_INTEGER).nullish(),
  stdout_tail: z.string({ error: "stdout_tail must be a string" }).nullish(),
  stderr_tail: z.string({ error: "stderr_tail must be a string" }).nullish(),
  message: z.string({ error: "message must be a string" }).nullish(),
  error: text("error", 2000).nullish(),
}).superRefine((finish, ctx) => {
  // As for reports: what the run row cannot hold is the agent's mistake (400), not the server's.
  if (finish.started_at && finish.started_at > finish.finished_at) {
    ctx.addIssue({ code: "custom", path: ["started_at"], message: "started_at must not be after finished_at" });
  }
  const reachesBack = finish.duration_ms != null ? durationProblem(finish.finished_at, finish.duration_ms) : null;
  if (reachesBack) ctx.addIssue({ code: "custom", path: ["duration_ms"], message: reachesBack });
});

export type RegisterBody = z.infer<typeof registerSchema>;
export type ClaimBody = z.infer<typeof claimSchema>;
export type HeartbeatBody = z.infer<typeof heartbeatSchema>;
export type FinishBody = z.infer<typeof finishSchema>;

export const AGENT_ACTIONS = { register: registerSchema, claim: claimSchema, heartbeat: heartbeatSchema, finish: finishSchema } as const;
export type AgentAction = keyof typeof AGENT_ACTIONS;

export function isAgentAction(value: string): value is AgentAction {
  return Object.hasOwn(AGENT_ACTIONS, value);
}
