import { ListCard } from "@/components/ui/list-card";
import { Section } from "@/components/ui/section";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import type { Translate } from "@/lib/i18n/messages";
import { formatDuration, formatInZone } from "@/lib/time";
import type { RunAttempt, RunDetail } from "@/server/runs/queries";

/** What the run left behind: its attempts, the end of its stderr, and its log. */
export function RunOutput({ run, attempts, timezone, t }: { run: RunDetail; attempts: RunAttempt[]; timezone: string; t: Translate }) {
  return (
    <>
      {attempts.length > 0 ? (
        <Section title={t("run.attempts")}>
          <ListCard label={t("run.attempts")} isOrdered className="text-sm">
            {attempts.map((attempt) => (
              <li key={attempt.attempt} className="flex flex-wrap items-center gap-4 px-4 py-2">
                <span className="font-medium">#{attempt.attempt}</span>
                <span>{attempt.status}</span>
                <span className="text-muted">{formatInZone(attempt.started_at, timezone)}</span>
                <span>{formatDuration(attempt.duration_ms, t.locale)}</span>
                <span className="text-muted">{jobboardMessage(attempt.message, t, timezone) ?? ""}</span>
              </li>
            ))}
          </ListCard>
        </Section>
      ) : null}

      <Section title={t("run.stderr")}>
        {run.stderr_tail ? (
          <pre tabIndex={0} data-testid="run-stderr" className="max-h-[28rem] overflow-auto rounded-card bg-sidebar p-4 font-mono text-xs text-sidebar-text whitespace-pre-wrap">
            {run.stderr_tail}
          </pre>
        ) : (
          <p className="text-sm text-muted">{t("run.noStderr")}</p>
        )}
      </Section>
      {run.log ? (
        <Section title={t("run.log")}>
          <pre tabIndex={0} className="max-h-[28rem] overflow-auto rounded-card border border-border bg-surface p-4 font-mono text-xs whitespace-pre-wrap">{run.log}</pre>
        </Section>
      ) : null}
    </>
  );
}
