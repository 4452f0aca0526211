import type { Metadata } from "next";
import Link from "next/link";
import { MaintenanceForm } from "@/components/maintenance/maintenance-form";
import { ActionButton } from "@/components/ui/action-button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { Table } from "@/components/ui/table";
import { getTranslator } from "@/lib/i18n/server";
import { formatInZone } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/workspaces/roles";
import { listJobOptions } from "@/server/jobs/queries";
import { deleteMaintenanceWindowAction } from "@/server/maintenance/actions";
import { listMaintenanceWindows } from "@/server/maintenance/queries";
import { isOver, occurrenceAt } from "@/server/maintenance/windows";
import { describeSchedule } from "@/server/schedule/describe";

export const metadata: Metadata = { title: "Maintenance" };

export default async function MaintenancePage({ searchParams }: { searchParams: Promise<{ job?: string }> }) {
  const { job: preselected } = await searchParams;
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const [windows, jobs] = await db((tx) => Promise.all([listMaintenanceWindows(tx, { workspaceId: workspace.id }), listJobOptions(tx, workspace.id, 500)]));
  const jobTitle = new Map(jobs.map((job) => [job.id, job.title]));
  const now = new Date();
  const tz = workspace.timezone;
  const isOperator = canOperate(workspace.role);
  const current = windows.filter((window) => !isOver(window, now));
  const past = windows.filter((window) => isOver(window, now));

  const when = (window: (typeof windows)[number]) =>
    window.starts_at && window.ends_at
      ? `${formatInZone(window.starts_at, tz)} → ${formatInZone(window.ends_at, tz)}`
      : t("maintenance.recurringWhen", {
          schedule: describeSchedule({ cron: window.cron, timezone: window.timezone, periodSeconds: null }, locale) ?? window.cron ?? "",
          minutes: String(window.duration_minutes),
        });

  const rows = (list: typeof windows) =>
    list.map((window) => {
      const active = occurrenceAt(window, now);
      return (
        <tr key={window.id} data-window={window.title}>
          <td className="px-3 py-2 font-medium">{window.title}</td>
          <td className="px-3 py-2">
            {window.job_id ? (
              <Link href={`/jobs/${window.job_id}`} className="text-accent hover:underline">
                {jobTitle.get(window.job_id) ?? t("maintenance.aJob")}
              </Link>
            ) : (
              t("maintenance.wholeWorkspace")
            )}
          </td>
          <td className="px-3 py-2">{when(window)}</td>
          <td className="px-3 py-2">
            {active ? (
              <span className="rounded bg-warning-soft px-1.5 py-0.5 text-xs text-warning">{t("maintenance.activeUntil", { until: formatInZone(active.end, tz) })}</span>
            ) : isOver(window, now) ? (
              <span className="text-muted">{t("maintenance.over")}</span>
            ) : (
              <span className="text-muted">{t("maintenance.waiting")}</span>
            )}
          </td>
          {isOperator ? (
            <td className="px-3 py-2">
              <ActionButton action={deleteMaintenanceWindowAction} fields={{ windowId: window.id }} label={t("maintenance.delete")} confirm={t("maintenance.deleteConfirm")} />
            </td>
          ) : null}
        </tr>
      );
    });

  const columns = [t("maintenance.titleField"), t("maintenance.scope"), t("maintenance.when"), t("maintenance.state"), ...(isOperator ? [{ hidden: t("members.actions") }] : [])];
  return (
    <>
      <PageHeader title={t("maintenance.title")} description={t("maintenance.description")} />
      {isOperator ? (
        <Card title={t("maintenance.plan")} className="mb-6">
          <MaintenanceForm jobs={jobs.map((job) => ({ id: job.id, title: job.title }))} timezone={tz} jobId={jobTitle.has(preselected ?? "") ? preselected : undefined} />
        </Card>
      ) : null}
      {current.length === 0 ? (
        <EmptyState title={t("maintenance.title")}>{t("maintenance.none")}</EmptyState>
      ) : (
        <Table columns={columns}>{rows(current)}</Table>
      )}
      {past.length > 0 ? (
        <Section title={t("maintenance.past")}>
          <Table columns={columns}>{rows(past)}</Table>
        </Section>
      ) : null}
    </>
  );
}
