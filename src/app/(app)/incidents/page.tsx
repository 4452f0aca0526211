import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { formatInZone, formatRelative } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { listOpenIncidents } from "@/server/incidents/queries";

export const metadata: Metadata = { title: "Incidents" };

const KIND_LABEL = { failed: "Failing", missed: "Missed", timed_out: "Timed out" } as const;

export default async function IncidentsPage() {
  const { workspace, db } = await getAppContext();
  const incidents = await db((tx) => listOpenIncidents(tx, { workspaceId: workspace.id, limit: 100 }));
  return (
    <>
      <PageHeader title="Incidents" description="Jobs that are failing, missed their schedule or timed out." />
      {incidents.length === 0 ? (
        <EmptyState title="No open incidents">Every job is healthy. Failures and missed runs will show up here.</EmptyState>
      ) : (
        <ul aria-label="Open incidents" className="divide-y divide-border rounded-card border border-border bg-surface">
          {incidents.map((incident) => (
            <li key={incident.id} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 px-4 py-3">
              <span className="rounded-full bg-danger-soft px-2 py-0.5 text-xs font-semibold text-danger">
                {KIND_LABEL[incident.kind]}
              </span>
              <span className="font-medium">{incident.job_title}</span>
              <span className="text-sm text-muted" title={formatInZone(incident.opened_at, workspace.timezone)}>
                since {formatRelative(incident.opened_at)} ({formatInZone(incident.opened_at, workspace.timezone)})
              </span>
              <span className="text-sm text-muted">
                {incident.failure_count} failure{incident.failure_count === 1 ? "" : "s"}
              </span>
              {incident.last_message ? <span className="basis-full text-sm">{incident.last_message}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
