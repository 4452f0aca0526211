import type { RunStatus } from "@/server/jobs/health";
import { isFailure } from "@/components/runs/status";

const COLOR: Partial<Record<RunStatus, string>> = {
  succeeded: "var(--color-success)",
  failed: "var(--color-danger)",
  timed_out: "var(--color-danger)",
  running: "var(--color-accent)",
};

/** The last runs, oldest on the left, as bars: tall and red for failures. Summarised in text. */
export function Sparkline({ statuses }: { statuses: RunStatus[] }) {
  if (statuses.length === 0) return <span className="text-xs text-muted">—</span>;
  const oldestFirst = [...statuses].reverse();
  const ok = statuses.filter((s) => s === "succeeded").length;
  const finished = statuses.filter((s) => s === "succeeded" || isFailure(s)).length;
  const label = finished > 0 ? `${ok} of ${finished} recent runs succeeded` : `${statuses.length} recent runs`;
  return (
    <svg role="img" aria-label={label} width={oldestFirst.length * 5} height={16} className="block">
      <title>{label}</title>
      {oldestFirst.map((status, index) => {
        const failed = isFailure(status);
        const height = failed ? 16 : 10;
        return (
          <rect key={index} x={index * 5} y={16 - height} width={3} height={height} rx={1} fill={COLOR[status] ?? "var(--color-muted)"} />
        );
      })}
    </svg>
  );
}
