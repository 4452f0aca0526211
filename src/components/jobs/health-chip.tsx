import { Chip, type Tone } from "@/components/ui/chip";
import type { Translate } from "@/lib/i18n/messages";
import type { JobHealth } from "@/server/jobs/health";

const HEALTH_TONE: Record<JobHealth, Tone> = {
  new: "neutral",
  healthy: "success",
  running: "info",
  failing: "danger",
  missed: "warning",
  paused: "neutral",
};

export function HealthChip({ health, t }: { health: JobHealth; t: Translate }) {
  return <Chip tone={HEALTH_TONE[health]}>{t(`health.${health}`)}</Chip>;
}
