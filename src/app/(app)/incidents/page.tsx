import type { Metadata } from "next";
import Link from "next/link";
import { IncidentList } from "@/components/incidents/incident-list";
import { HealthChip } from "@/components/jobs/health-chip";
import { ConfirmBulkAction } from "@/components/ui/confirm-bulk-action";
import { EmptyState } from "@/components/ui/empty-state";
import { ListCard } from "@/components/ui/list-card";
import { PageHeader } from "@/components/ui/page-header";
import { getTranslator } from "@/lib/i18n/server";
import { formatRelative } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/workspaces/roles";
import { acknowledgeIncidentsAction } from "@/server/incidents/actions";
import { BULK_ACKNOWLEDGE_LIMIT } from "@/server/incidents/service";
import { listOpenIncidents, type AcknowledgedFilter } from "@/server/incidents/queries";
import { listAgentIncidents } from "@/server/agents/queries";
import { listJobs } from "@/server/jobs/queries";
import { listMaintenanceWindows } from "@/server/maintenance/queries";

export const metadata: Metadata = { title: "Incidents" };

const FILTERS: AcknowledgedFilter[] = ["all", "unacknowledged", "acknowledged"];
/** The other jobs are context for the incidents, not a second job list: /jobs pages through them all. */
const OTHER_JOBS_SHOWN = 50;

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<{ ack?: string }> }) {
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const { ack } = await searchParams;
  const filter: AcknowledgedFilter = FILTERS.includes(ack as AcknowledgedFilter) ? (ack as AcknowledgedFilter) : "all";
  const [incidents, jobPage, windows, agentsOffline] = await db((tx) =>
    Promise.all([
      listOpenIncidents(tx, { workspaceId: workspace.id, limit: 200, acknowledged: filter }),
      listJobs(tx, { workspaceId: workspace.id, limit: 2 * OTHER_JOBS_SHOWN, sparkline: false }),
      listMaintenanceWindows(tx, { workspaceId: workspace.id }),
      listAgentIncidents(tx, { workspaceId: workspace.id, limit: 50 }),
    ]),
  );
  const now = new Date();
  const isOperator = canOperate(workspace.role);
  const jobs = jobPage.items;
  const incidentJobs = new Set(incidents.map((incident) => incident.job_id));
  // After the incidents, the first of the other jobs: healthy, new, running and paused ones.
  const otherJobs = jobs.filter((job) => !job.incident_id && !incidentJobs.has(job.id));
  const shownJobs = otherJobs.slice(0, OTHER_JOBS_SHOWN);
  const moreJobs = otherJobs.length > shownJobs.length || jobPage.nextCursor !== null;

  return (
    <>
      <PageHeader title={t("incidents.title")} description={t("incidents.description")} live={{ label: t("overview.live") }} />
      <nav aria-label={t("incidents.filterLabel")} className="mb-3 flex gap-2 text-sm">
        {FILTERS.map((value) => (
          <Link
            key={value}
            href={value === "all" ? "/incidents" : `/incidents?ack=${value}`}
            aria-current={filter === value ? "page" : undefined}
            className={`rounded-full border px-3 py-1 ${filter === value ? "border-accent bg-accent text-accent-contrast" : "border-border bg-surface"}`}
          >
            {t(`incidents.filter.${value}`)}
          </Link>
        ))}
      </nav>
      {isOperator && incidents.some((incident) => !incident.acknowledged_at) ? (
        <div className="mb-3">
          <ConfirmBulkAction
            action={acknowledgeIncidentsAction}
            formId="bulk-acknowledge"
            limit={BULK_ACKNOWLEDGE_LIMIT}
            messages={{ label: "incidents.bulk.acknowledge", title: "incidents.bulk.title", description: "incidents.bulk.description", confirm: "incidents.bulk.confirm", keep: "incidents.bulk.keep", done: "incidents.bulk.done", none: "incidents.bulk.none" }}
          />
        </div>
      ) : null}
      {agentsOffline.length > 0 ? (
        <section className="mb-4">
          <h2 className="mb-2 text-sm font-semibold text-muted">{t("agentIncident.list")}</h2>
          <ListCard label={t("agentIncident.list")}>
            {agentsOffline.map((incident) => (
              <li key={incident.id} className="flex flex-wrap items-center gap-x-4 px-4 py-3">
                <Link href={`/incidents/agent/${incident.id}`} className="font-medium hover:underline">
                  {t("agentIncident.title", { agent: incident.agent_name })}
                </Link>
                <span className="text-sm text-muted">{formatRelative(incident.opened_at, now, locale)}</span>
              </li>
            ))}
          </ListCard>
        </section>
      ) : null}
      {incidents.length === 0 ? (
        <EmptyState title={t("incidents.none")}>{t("incidents.noneHint")}</EmptyState>
      ) : (
        <IncidentList incidents={incidents} windows={windows} workspaceId={workspace.id} isOperator={isOperator} now={now} timezone={workspace.timezone} t={t} locale={locale} />
      )}

      {otherJobs.length > 0 ? (
        <section className="mt-8">
          <h2 className="mb-2 text-sm font-semibold text-muted">{t("incidents.otherJobs")}</h2>
          <ListCard label={t("incidents.otherJobs")}>
            {shownJobs.map((job) => (
              <li key={job.id} className="flex items-center gap-4 px-4 py-2 text-sm">
                <HealthChip health={job.health} t={t} />
                <Link href={`/jobs/${job.id}`} className="font-medium hover:underline">
                  {job.title}
                </Link>
                <span className="ml-auto text-muted">
                  {job.last_run_at ? formatRelative(job.last_run_at, now, locale) : t("jobs.never")}
                </span>
              </li>
            ))}
          </ListCard>
          {moreJobs ? (
            <p className="mt-2 text-sm">
              <Link href="/jobs" className="text-accent hover:underline">
                {t("incidents.allJobs")}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
