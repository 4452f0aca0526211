import Link from "next/link";
import { ActionButton } from "@/components/ui/action-button";
import { Chip } from "@/components/ui/chip";
import { ListCard } from "@/components/ui/list-card";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { formatInZone, formatRelative } from "@/lib/time";
import { acknowledgeIncidentAction } from "@/server/incidents/actions";
import type { OpenIncident } from "@/server/incidents/queries";
import { maintenanceAt, type MaintenanceWindow } from "@/server/maintenance/windows";

/**
 * The open incidents, each with its kind, job, age, failures, last message and what an operator
 * can do: acknowledge it, alone or (through the checkbox) in bulk.
 */
export function IncidentList({
  incidents,
  windows,
  workspaceId,
  isOperator,
  now,
  timezone,
  t,
  locale,
}: {
  incidents: OpenIncident[];
  windows: MaintenanceWindow[];
  workspaceId: string;
  isOperator: boolean;
  now: Date;
  timezone: string;
  t: Translate;
  locale: Locale;
}) {
  return (
    <ListCard label={t("incidents.openList")}>
      {incidents.map((incident) => (
        <li key={incident.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3">
          {isOperator && !incident.acknowledged_at ? (
            <input
              type="checkbox"
              name="incidentId"
              value={incident.id}
              form="bulk-acknowledge"
              aria-label={t("incidents.select", { job: incident.job_title })}
              className="size-4"
            />
          ) : null}
          <Chip tone={incident.kind === "missed" || incident.kind === "stalled" ? "warning" : "danger"}>{t(`incident.${incident.kind}`)}</Chip>
          <Link href={`/jobs/${incident.job_id}`} className="font-medium hover:underline">
            {incident.job_title}
          </Link>
          <span className="text-sm text-muted" title={formatInZone(incident.opened_at, timezone)}>
            {t("incidents.since", { relative: formatRelative(incident.opened_at, now, locale) })} (
            {formatInZone(incident.opened_at, timezone)})
          </span>
          {/* A missed job failed nothing: it did not run. */}
          {incident.kind !== "missed" ? (
            <span className="text-sm text-muted">
              {t(incident.failure_count === 1 ? "incidents.failure" : "incidents.failures", { count: incident.failure_count })}
            </span>
          ) : null}
          {maintenanceAt(windows, { workspaceId, jobId: incident.job_id }, incident.opened_at) ? <Chip tone="neutral">{t("maintenance.badge")}</Chip> : null}
          <span className="ml-auto flex items-center gap-3">
            <Link href={`/incidents/${incident.id}`} className="text-sm text-accent hover:underline">
              {t("incident.details")}
            </Link>
            {incident.last_run_id && incident.kind !== "missed" ? (
              <Link href={`/runs/${incident.last_run_id}`} className="text-sm text-accent hover:underline">
                {t("incidents.lastFailedRun")}
              </Link>
            ) : null}
            {incident.acknowledged_at ? (
              <Chip tone="neutral">
                {t("incidents.acknowledged")}
                {incident.acknowledged_by_email ? ` · ${incident.acknowledged_by_email}` : ""}
              </Chip>
            ) : isOperator ? (
              <ActionButton action={acknowledgeIncidentAction} fields={{ incidentId: incident.id }} label={t("incidents.acknowledge")} />
            ) : null}
          </span>
          {incident.last_message ? <p className="basis-full text-sm">{jobboardMessage(incident.last_message, t, timezone)}</p> : null}
        </li>
      ))}
    </ListCard>
  );
}
