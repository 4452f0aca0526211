import type { Tone } from "@/components/ui/chip";
import type { RunStatus } from "@/server/runs/status";

export const STATUS_TONE: Record<RunStatus, Tone> = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  failed: "danger",
  timed_out: "danger",
  canceled: "warning",
  skipped: "neutral",
  lost: "danger",
};

export const isFailure = (status: RunStatus) => status === "failed" || status === "timed_out" || status === "lost";
