export const JOB_HEALTH = ["new", "healthy", "running", "failing", "missed", "paused"] as const;
export type JobHealth = (typeof JOB_HEALTH)[number];

export const JOB_KINDS = ["reported", "http", "task", "agent"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "timed_out", "canceled", "skipped", "lost"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_TRIGGERS = ["report", "schedule", "manual", "rerun", "api"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const FAILED_STATUSES: readonly RunStatus[] = ["failed", "timed_out", "lost"];
