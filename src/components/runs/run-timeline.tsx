import { Card } from "@/components/ui/card";
import type { Translate } from "@/lib/i18n/messages";
import { formatInZone } from "@/lib/time";
import type { RunDetail } from "@/server/runs/queries";
import { StageProgress } from "./stage-progress";

/** When the run was queued, started and finished, and its stages when it reports them. */
export function RunTimeline({ run, timezone, t }: { run: RunDetail; timezone: string; t: Translate }) {
  // A run that only came in as a report was never queued: it starts when the script says so.
  const timeline: Array<{ label: string; at: Date | null }> = [
    ...(run.trigger === "report" ? [] : [{ label: t("run.queued"), at: run.queued_at }]),
    { label: t("run.started"), at: run.started_at },
    { label: `${t("run.finished")} · ${t(`status.${run.status}`)}`, at: run.finished_at },
  ];
  return (
    <Card title={t("run.timeline")} className="lg:col-span-1">
      <ol className="space-y-3 border-l-2 border-border pl-4 text-sm">
        {timeline.map((step) => (
          <li key={step.label} className={step.at ? "" : "text-muted"}>
            <span className="font-medium">{step.label}</span>
            <div className="text-xs text-muted">{step.at ? formatInZone(step.at, timezone) : "—"}</div>
          </li>
        ))}
      </ol>
      {run.stages && run.stages.length > 0 ? (
        <div className="mt-4">
          <StageProgress stages={run.stages} current={run.current_stage} percent={run.progress_percent} isFinished={run.status === "succeeded"} labels={{ stages: t("run.stagesLabel"), progress: t("run.progressLabel") }} />
        </div>
      ) : null}
    </Card>
  );
}
