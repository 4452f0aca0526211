import { formatDuration } from "@/lib/time";
import type { RunStatus } from "@/server/jobs/health";
import { isFailure } from "@/components/runs/status";

type Point = { id: string; status: RunStatus; duration_ms: number | null };

/** Durations of recent runs, oldest first; failures drawn in red and listed for screen readers. */
export function DurationChart({ runs, label }: { runs: Point[]; label: string }) {
  const points = [...runs].reverse().filter((run) => run.duration_ms != null);
  if (points.length === 0) return <p className="text-sm text-muted">—</p>;
  const max = Math.max(...points.map((p) => p.duration_ms!));
  const width = 600;
  const height = 120;
  const barWidth = width / points.length;
  const failures = points.filter((p) => isFailure(p.status)).length;
  return (
    <figure>
      <svg role="img" aria-label={`${label}: ${points.length} runs, longest ${formatDuration(max)}, ${failures} failed`}
        viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className="h-32 w-full">
        {points.map((point, index) => {
          const barHeight = Math.max(2, (point.duration_ms! / max) * (height - 4));
          const failed = isFailure(point.status);
          return (
            <rect key={point.id} x={index * barWidth + 1} y={height - barHeight} width={Math.max(1, barWidth - 2)} height={barHeight}
              fill={failed ? "var(--color-danger)" : "var(--color-accent)"} opacity={failed ? 1 : 0.7}>
              <title>{`${formatDuration(point.duration_ms)}${failed ? " (failed)" : ""}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex justify-between text-xs text-muted">
        <span>max {formatDuration(max)}</span>
        <span>{failures > 0 ? `${failures} failed (red)` : ""}</span>
      </figcaption>
    </figure>
  );
}
