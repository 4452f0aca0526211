import Link from "next/link";
import { Snippet } from "@/components/ui/snippet";
import { isInngestConfigured } from "@/lib/env";
import type { Translate } from "@/lib/i18n/messages";
import { formatInZone } from "@/lib/time";
import type { getAgent } from "@/server/agents/queries";
import type { JobRow } from "@/server/jobs/queries";
import type { maintenanceAt } from "@/server/maintenance/windows";

/** The lines under a job's title: its maintenance window now, and where and how it runs. */
export function JobNotes({
  job,
  agent,
  maintenanceNow,
  timezone,
  t,
}: {
  job: JobRow;
  agent: Awaited<ReturnType<typeof getAgent>>;
  maintenanceNow: ReturnType<typeof maintenanceAt>;
  timezone: string;
  t: Translate;
}) {
  const isManaged = job.kind !== "reported";
  return (
    <>
      {maintenanceNow ? (
        <p data-testid="job-in-maintenance" className="-mt-3 mb-6 text-sm">
          <span className="rounded bg-warning-soft px-1.5 py-0.5 text-warning">
            {t("maintenance.activeUntil", { until: formatInZone(maintenanceNow.end, timezone) })}
          </span>{" "}
          <Link href="/maintenance" className="text-accent hover:underline">
            {maintenanceNow.window.title}
          </Link>
        </p>
      ) : null}
      {!isManaged ? <p className="-mt-3 mb-4 text-sm text-muted">{t("job.reportedHint")}</p> : null}
      {isManaged && job.kind !== "agent" && !isInngestConfigured() ? <p className="-mt-3 mb-4 text-sm text-muted">{t("job.inlineHint")}</p> : null}
      {job.kind === "agent" ? (
        <p className="-mt-3 mb-4 text-sm text-muted">
          {job.agent_label ? t("job.agentLabelHint", { label: job.agent_label }) : null}
          {!job.agent_label && agent ? (
            <>
              {t("job.agentHint")}{" "}
              <Link href={`/agents/${agent.id}`} className="text-accent hover:underline">{agent.name}</Link>
            </>
          ) : null}
        </p>
      ) : null}
    </>
  );
}

/** The job's public status badge, with the Markdown that shows it elsewhere. */
export function JobBadge({ job, badgePath, appUrl, t }: { job: JobRow; badgePath: string; appUrl: string; t: Translate }) {
  return (
    <section aria-label={t("job.badge")} className="mb-6 rounded-card border border-border bg-surface p-4 text-sm">
      {/* eslint-disable-next-line @next/next/no-img-element -- an SVG the app serves itself, changing every minute */}
      <img src={badgePath} alt={t("job.badge")} height={20} />
      <Snippet className="mt-2" text={`[![${job.title}](${appUrl}${badgePath})](${appUrl}/jobs/${job.id})`} copyLabel={t("snippet.copy")} />
      <p className="mt-1 text-xs text-muted">{t("job.badgeHint")}</p>
    </section>
  );
}
