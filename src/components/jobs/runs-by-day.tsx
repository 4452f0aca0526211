import type { DayCount } from "@/server/stats/queries";

/** Runs per day in the workspace's timezone, stacked: successes, failures (red), others. */
export function RunsByDay({ days, label }: { days: DayCount[]; label: string }) {
  const max = Math.max(1, ...days.map((d) => d.succeeded + d.failed + d.other));
  return (
    <figure>
      <div role="img" aria-label={label} className="flex h-24 items-end gap-1">
        {days.map((day) => {
          const total = day.succeeded + day.failed + day.other;
          return (
            <div key={day.day} className="flex flex-1 flex-col justify-end" title={`${day.day}: ${day.succeeded} ok, ${day.failed} failed`}>
              {day.failed > 0 ? <div className="bg-danger" style={{ height: `${(day.failed / max) * 96}px` }} /> : null}
              {day.other > 0 ? <div className="bg-muted/40" style={{ height: `${(day.other / max) * 96}px` }} /> : null}
              {day.succeeded > 0 ? <div className="bg-success/70" style={{ height: `${(day.succeeded / max) * 96}px` }} /> : null}
              {total === 0 ? <div className="h-px bg-border" /> : null}
            </div>
          );
        })}
      </div>
      <figcaption className="mt-1 flex justify-between text-xs text-muted">
        <span>{days[0]?.day}</span>
        <span>{days.at(-1)?.day}</span>
      </figcaption>
    </figure>
  );
}
