import Link from "next/link";
import { StatusChip } from "@/components/runs/status-chip";
import { Chip } from "@/components/ui/chip";
import { ListCard } from "@/components/ui/list-card";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import { formatInZone, formatRelative } from "@/lib/time";
import type { OpenIncident } from "@/server/incidents/queries";

/**
 * What is broken right now: the open incidents, failing first, each with its last message and
 * its last run's chip, one click from the traceback.
 */
export function BrokenNow({ incidents, t, locale, timezone, now }: { incidents: OpenIncident[]; t: Translate; locale: Locale; timezone: string; now: Date }) {
  if (incidents.length === 0) {
    return <p className="rounded-card border border-border bg-surface px-4 py-3 text-sm text-muted">{t("overview.allClear")}</p>;
  }
  return (
    <ListCard label={t("overview.brokenNow")}>
      {incidents.map((incident) => (
        <li key={incident.id} data-incident={incident.job_key} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 text-sm">
          <Chip tone={incident.kind === "missed" || incident.kind === "stalled" ? "warning" : "danger"}>{t(`incident.${incident.kind}`)}</Chip>
          <Link href={`/jobs/${incident.job_id}`} className="font-medium hover:underline">
            {incident.job_title}
          </Link>
          {/* A missed job has no run of its own to show: the one before it succeeded. */}
          {incident.kind !== "missed" && incident.last_run_id && incident.last_run_status && incident.last_run_queued_at ? (
            <StatusChip
              run={{
                id: incident.last_run_id,
                status: incident.last_run_status,
                job_title: incident.job_title,
                job_kind: incident.job_kind,
                exit_code: incident.last_run_exit_code,
                message: incident.last_run_message,
                stderr_tail: incident.last_run_stderr_tail,
                finished_at: incident.last_run_finished_at,
                queued_at: incident.last_run_queued_at,
              }}
              t={t}
              timezone={timezone}
            />
          ) : null}
          <span className="ml-auto whitespace-nowrap text-xs text-muted" title={formatInZone(incident.opened_at, timezone)}>
            {t("incidents.since", { relative: formatRelative(incident.opened_at, now, locale) })}
          </span>
          {incident.last_message ? <p className="basis-full break-words text-muted">{jobboardMessage(incident.last_message, t, timezone)}</p> : null}
        </li>
      ))}
    </ListCard>
  );
}
