import { Card } from "@/components/ui/card";
import { Fact, Facts, LinkFact } from "@/components/ui/facts";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import type { Translate } from "@/lib/i18n/messages";
import { formatDuration } from "@/lib/time";
import type { RunDetail } from "@/server/runs/queries";
import { runCodeLabel, runCodeText } from "./run-code";

/** What a run was and how it went: trigger, attempt, duration, exit code, host, agent, message and parameters. */
export function RunFacts({ run, renderedAt, timezone, t }: { run: RunDetail; renderedAt: Date; timezone: string; t: Translate }) {
  return (
    <Card title={t("run.params")} className="lg:col-span-2">
      <Facts>
        <Fact label={t("run.trigger")}>
          {t(`trigger.${run.trigger}`)}
          {run.triggered_by_email ? ` · ${t("run.by", { who: run.triggered_by_email })}` : ""}
        </Fact>
        <Fact label={t("run.attempt")}>{run.attempt}</Fact>
        <Fact label={t("runs.duration")}>
          {run.status === "running" && run.started_at
            ? t("overview.elapsed", { duration: formatDuration(renderedAt.getTime() - run.started_at.getTime(), t.locale) })
            : formatDuration(run.duration_ms, t.locale)}
        </Fact>
        <Fact label={runCodeLabel([run.job_kind], t)}>
          <span className="font-mono">{runCodeText(run, t)}</span>
        </Fact>
        <Fact label={t("runs.host")}>{run.host ?? "—"}</Fact>
        {run.agent_id ? (
          <LinkFact label={t("run.agent")} href={`/agents/${run.agent_id}`}>
            {run.agent_name}
          </LinkFact>
        ) : null}
        <Fact label={t("run.message")}>{jobboardMessage(run.message, t, timezone) ?? "—"}</Fact>
        {run.rerun_of ? (
          <LinkFact label={t("run.rerunOf")} href={`/runs/${run.rerun_of}`} mono>
            {run.rerun_of}
          </LinkFact>
        ) : null}
      </Facts>
      <pre tabIndex={0} data-testid="run-params" className="mt-3 overflow-x-auto rounded-card bg-canvas p-3 font-mono text-xs">
        {JSON.stringify(run.params, null, 2)}
      </pre>
    </Card>
  );
}
