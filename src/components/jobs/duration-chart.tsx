import { formatDuration } from "@/lib/time";
import type { Translate } from "@/lib/i18n/messages";
import type { RunStatus } from "@/server/runs/status";
import { isFailure } from "@/components/runs/status";

type Point = { id: string; status: RunStatus; duration_ms: number | null };

const WIDTH = 600;
const HEIGHT = 120;
/** A bar is never wider than this share of the box: one run is one bar, not a filled box. */
const SLOTS = 30;

/**
 * Durations of recent runs, oldest first and ending at the right edge; successes in the one
 * success colour, failures in red and counted for screen readers.
 */
export function DurationChart({ runs, label, t }: { runs: Point[]; label: string; t: Translate }) {
  const points = [...runs].reverse().filter((run) => run.duration_ms != null);
  if (points.length === 0) return <p className="text-sm text-muted">—</p>;
  const max = Math.max(...points.map((p) => p.duration_ms!));
  const barWidth = WIDTH / Math.max(points.length, SLOTS);
  const offset = WIDTH - barWidth * points.length;
  const failures = points.filter((p) => isFailure(p.status)).length;
  const longest = t("chart.longest", { duration: formatDuration(max, t.locale) });
  return (
    <figure>
      <svg role="img" aria-label={`${label}: ${t("chart.summary", { runs: points.length, failed: failures })}, ${longest}`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" className="h-32 w-full">
        <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke="var(--color-border)" />
        {points.map((point, index) => {
          const barHeight = Math.max(2, (point.duration_ms! / max) * (HEIGHT - 4));
          const failed = isFailure(point.status);
          return (
            <rect key={point.id} x={offset + index * barWidth + 1} y={HEIGHT - barHeight} width={Math.max(1, barWidth - 2)} height={barHeight}
              fill={failed ? "var(--color-danger)" : "var(--color-success)"} opacity={failed ? 1 : 0.7}>
              <title>{`${formatDuration(point.duration_ms, t.locale)}${failed ? ` ${t("chart.failedMark")}` : ""}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex justify-between text-xs text-muted">
        <span>{longest}</span>
        <span>{failures > 0 ? t("chart.failedRed", { count: failures }) : ""}</span>
      </figcaption>
    </figure>
  );
}
