/** Documented limits of the report API (README, "Report API"). */
export const REPORT_LIMITS = {
  /** Larger request bodies are refused with 413. */
  bodyBytes: 1024 * 1024,
  /** stderr and log keep their last this-many bytes. */
  tailBytes: 64 * 1024,
  /** message keeps its first this-many characters. */
  messageChars: 4000,
  titleChars: 200,
  hostChars: 255,
  jobKeyChars: 200,
  runIdChars: 200,
  tags: 20,
  tagChars: 50,
  stages: 50,
  stageChars: 100,
  /** Jobs reports may create per workspace (JOBBOARD_MAX_REPORTED_JOBS); past it, new keys get 403. */
  reportedJobsPerWorkspace: 1000,
  /** Reported times may run ahead of the server's clock by at most this much (clock skew). */
  futureSkewMs: 24 * 60 * 60 * 1000,
} as const;
