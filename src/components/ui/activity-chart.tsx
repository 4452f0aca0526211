/** One bar: its label on the axis and what it counts. */
export type ActivityBar = { key: string; label: string; succeeded: number; failed: number; other: number };

/**
 * Runs per bucket, stacked: failures (red) on top, then others, then successes, in the one
 * success colour every chart uses. Labelled for screen readers with its totals; each bar has
 * its counts as a tooltip.
 */
export function ActivityChart({
  bars,
  label,
  describe,
  summary,
  testId,
}: {
  bars: ActivityBar[];
  label: string;
  /** A bar's tooltip, in the page's language. */
  describe: (bar: ActivityBar) => string;
  /** The chart's totals in words, for its accessible name. */
  summary: (totals: { runs: number; failed: number }) => string;
  testId?: string;
}) {
  const max = Math.max(1, ...bars.map((bar) => bar.succeeded + bar.failed + bar.other));
  const runs = bars.reduce((sum, bar) => sum + bar.succeeded + bar.failed + bar.other, 0);
  const failed = bars.reduce((sum, bar) => sum + bar.failed, 0);
  const height = (count: number) => `${(count / max) * 96}px`;
  return (
    <figure data-testid={testId} data-runs={runs} data-failed={failed}>
      <div role="img" aria-label={`${label}: ${summary({ runs, failed })}`} className="flex h-24 items-end gap-px">
        {bars.map((bar) => (
          <div key={bar.key} data-bar={bar.key} className="flex flex-1 flex-col justify-end" title={describe(bar)}>
            {bar.failed > 0 ? <div className="bg-danger" style={{ height: height(bar.failed) }} /> : null}
            {bar.other > 0 ? <div className="bg-muted/40" style={{ height: height(bar.other) }} /> : null}
            {bar.succeeded > 0 ? <div className="bg-success/70" style={{ height: height(bar.succeeded) }} /> : null}
            {bar.succeeded + bar.failed + bar.other === 0 ? <div className="h-px bg-border" /> : null}
          </div>
        ))}
      </div>
      <figcaption className="mt-1 flex justify-between text-xs text-muted">
        <span>{bars[0]?.label}</span>
        <span>{bars.at(-1)?.label}</span>
      </figcaption>
    </figure>
  );
}
