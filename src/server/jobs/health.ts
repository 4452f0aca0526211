export const JOB_HEALTH = ["new", "healthy", "running", "failing", "missed", "paused"] as const;
export type JobHealth = (typeof JOB_HEALTH)[number];

export const JOB_KINDS = ["reported", "http", "task", "agent"] as const;
export type JobKind = (typeof JOB_KINDS)[number];


