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
} as const;
