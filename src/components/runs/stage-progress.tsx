/** Seed 002's pipeline bar: each stage done, current or to come, and the percent. */
export function StageProgress({
  stages,
  current,
  percent,
  isFinished = false,
  labels,
}: {
  stages: string[] | null;
  current: string | null;
  percent: number | null;
  isFinished?: boolean;
  /** The stage list's and the progress bar's names, in the page's language. */
  labels: { stages: string; progress: string };
}) {
  const currentIndex = stages && current ? stages.indexOf(current) : -1;
  return (
    <div>
      {stages && stages.length > 0 ? (
        <ol aria-label={labels.stages} className="flex flex-wrap gap-1 text-xs">
          {stages.map((stage, index) => {
            const state = isFinished || index < currentIndex ? "done" : index === currentIndex ? "current" : "todo";
            return (
              <li
                key={`${stage}-${index}`}
                aria-current={state === "current" ? "step" : undefined}
                className={`rounded px-2 py-1 ${
                  state === "done"
                    ? "bg-success-soft text-success"
                    : state === "current"
                      ? "bg-accent text-accent-contrast font-semibold"
                      : "bg-canvas text-muted"
                }`}
              >
                {state === "done" ? "✓ " : ""}
                {stage}
              </li>
            );
          })}
        </ol>
      ) : null}
      {percent != null ? (
        <div className="mt-2 flex items-center gap-2">
          <div
            role="progressbar"
            aria-valuenow={Math.round(percent)}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-label={labels.progress}
            className="h-2 flex-1 overflow-hidden rounded-full bg-canvas"
          >
            <div className="h-full rounded-full bg-accent" style={{ width: `${Math.min(100, Math.max(0, percent))}%` }} />
          </div>
          <span className="text-xs text-muted">{Math.round(percent)}%</span>
        </div>
      ) : null}
    </div>
  );
}
