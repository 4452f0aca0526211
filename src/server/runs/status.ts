// The words for a run: how it stands and what started it. The database's checks on runs allow
// exactly these.
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "timed_out", "canceled", "skipped", "lost"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_TRIGGERS = ["report", "schedule", "manual", "rerun", "api"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** The endings that count as failures: they open or extend an incident, and can be rerun in bulk. */
export const FAILED_STATUSES: readonly RunStatus[] = ["failed", "timed_out", "lost"];
