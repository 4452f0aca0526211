import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { formatInZone, formatRelative } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { countOpenIncidents, getWorkspaceSummary } from "@/server/workspaces/queries";

export const metadata: Metadata = { title: "Overview" };

function Stat({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div className="rounded-card border border-border bg-surface p-4">
      <p className="text-sm text-muted">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
      {hint ? <p className="mt-1 text-xs text-muted">{hint}</p> : null}
    </div>
  );
}

export default async function OverviewPage() {
  const { workspace, db } = await getAppContext();
  const [summary, openIncidents] = await db((tx) =>
    Promise.all([getWorkspaceSummary(tx, workspace.id), countOpenIncidents(tx, workspace.id)]),
  );
  return (
    <>
      <PageHeader title="Overview" description={`${workspace.name} · times in ${workspace.timezone}`} />
      <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Jobs" value={summary.jobs} />
        <Stat label="Open incidents" value={openIncidents} />
        <Stat label="Running now" value={summary.running} />
        <Stat
          label="Last finished run"
          value={summary.last_finished_at ? formatRelative(summary.last_finished_at) : "—"}
          hint={summary.last_finished_at ? formatInZone(summary.last_finished_at, workspace.timezone) : undefined}
        />
      </section>
    </>
  );
}
