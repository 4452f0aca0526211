import Link from "next/link";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import type { Translate } from "@/lib/i18n/messages";
import { formatDuration, formatShortInZone } from "@/lib/time";
import { maintenanceAt, type MaintenanceWindow } from "@/server/maintenance/windows";
import type { RunListItem } from "@/server/runs/queries";
import { Table } from "@/components/ui/table";
import { runCodeLabel, runCodeText } from "./run-code";
import { StatusChip } from "./status-chip";

/** Runs as a table; `showJob` adds the job column for the workspace-wide list; runs inside `windows` are marked. */
export function RunTable({
  runs,
  t,
  timezone,
  showJob = false,
  windows = [],
  workspaceId,
}: {
  runs: RunListItem[];
  t: Translate;
  timezone: string;
  showJob?: boolean;
  windows?: MaintenanceWindow[];
  workspaceId: string;
}) {
  return (
    <Table
      headings="caps"
      columns={[t("runs.status"), ...(showJob ? [t("runs.job")] : []), t("runs.started"), t("runs.duration"), t("runs.trigger"), runCodeLabel(runs.map((run) => run.job_kind), t), t("runs.host"), t("run.message")]}
    >
      {runs.map((run) => (
        <tr
          key={run.id}
          className="hover:bg-canvas/60"
          data-status={run.status}
          data-finished-at={run.finished_at?.toISOString()}
          data-duration-ms={run.duration_ms ?? undefined}
        >
          <td className="px-3 py-2">
            <StatusChip run={run} t={t} timezone={timezone} />
          </td>
          {showJob ? (
            <td className="px-3 py-2">
              <Link href={`/jobs/${run.job_id}`} className="hover:underline">
                {run.job_title}
              </Link>
            </td>
          ) : null}
          <td className="whitespace-nowrap px-3 py-2">
            <Link href={`/runs/${run.id}`} className="text-accent hover:underline">
              <time dateTime={(run.started_at ?? run.queued_at).toISOString()}>
                {formatShortInZone(run.started_at ?? run.queued_at, timezone)}
              </time>
            </Link>
          </td>
          <td className="whitespace-nowrap px-3 py-2">
            {formatDuration(run.duration_ms, t.locale)}
            {run.duration_rule ? (
              <span data-testid="duration-flag" className="ml-2 rounded bg-warning-soft px-1.5 py-0.5 text-xs text-warning">
                {t(run.duration_rule === "too_fast" ? "runs.tooFast" : "runs.tooSlow")}
              </span>
            ) : null}
          </td>
          <td className="px-3 py-2">{t(`trigger.${run.trigger}`)}</td>
          <td className="px-3 py-2 font-mono">{runCodeText(run, t)}</td>
          <td className="px-3 py-2">{run.host ?? "—"}</td>
          <td className="max-w-xs truncate px-3 py-2 text-muted" title={jobboardMessage(run.message, t, timezone) ?? undefined}>
            {maintenanceAt(windows, { workspaceId, jobId: run.job_id }, run.finished_at ?? run.queued_at) ? (
              <span data-testid="maintenance-flag" className="mr-2 rounded bg-canvas px-1.5 py-0.5 text-xs">
                {t("maintenance.badge")}
              </span>
            ) : null}
            {jobboardMessage(run.message, t, timezone) ?? ""}
          </td>
        </tr>
      ))}
    </Table>
  );
}
