/** Seed 002's pipeline bar: each stage done, current or to come, and the percent. */
export function StageProgress({
  stages,
  current,
  percent,
  isFinished = false,
}: {
  stages: string[] | null;
  current: string | null;
  percent: number | null;
  isFinished?: boolean;
}) {
  const currentIndex = stages && current ? stages.indexOf(current) : -1;
  return (
    <div>
      {stages && stages.length > 0 ? (
        <ol aria-label="Pipeline stages" className="flex flex-wrap gap-1 text-xs">
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
            aria-label="Progress"
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
