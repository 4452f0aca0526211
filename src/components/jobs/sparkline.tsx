import type { RunStatus } from "@/server/runs/status";
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
  // One path per colour rather than an element per run: a list of fifty jobs stays a few
  // hundred elements for the server to render and the browser to lay out.
  const bars = new Map<string, string>();
  oldestFirst.forEach((status, index) => {
    const height = isFailure(status) ? 16 : 10;
    const color = COLOR[status] ?? "var(--color-muted)";
    bars.set(color, `${bars.get(color) ?? ""}M${index * 5} ${16 - height}h3v${height}h-3z`);
  });
  return (
    <svg role="img" aria-label={label} width={oldestFirst.length * 5} height={16} className="block">
      <title>{label}</title>
      {[...bars].map(([color, d]) => (
        <path key={color} d={d} fill={color} />
      ))}
    </svg>
  );
}
