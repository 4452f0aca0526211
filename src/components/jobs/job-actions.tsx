import Link from "next/link";
import { rerunDialogLabels } from "@/components/runs/rerun-labels";
import { RerunDialog } from "@/components/runs/rerun-dialog";
import { ActionButton } from "@/components/ui/action-button";
import { buttonClass } from "@/components/ui/button";
import type { Translate } from "@/lib/i18n/messages";
import { setJobBadgeAction, setJobPausedAction } from "@/server/jobs/actions";
import type { JobRow } from "@/server/jobs/queries";
import { requestRunAction } from "@/server/runs/actions";

/** What an operator can do with a job (and an admin more): badge, maintenance, edit, pause, run. */
export function JobActions({ job, isAdmin, t }: { job: JobRow; isAdmin: boolean; t: Translate }) {
  const isManaged = job.kind !== "reported";
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {isAdmin ? (
        <ActionButton
          action={setJobBadgeAction}
          fields={{ jobId: job.id, enabled: String(!job.public_badge) }}
          label={job.public_badge ? t("job.badgeOff") : t("job.badgeOn")}
        />
      ) : null}
      <Link href={`/maintenance?job=${job.id}`} className={buttonClass("secondary")}>
        {t("maintenance.jobLink")}
      </Link>
      {isAdmin ? (
        <Link href={`/jobs/${job.id}/edit`} className={buttonClass("secondary")}>
          {t("job.edit")}
        </Link>
      ) : null}
      <ActionButton
        action={setJobPausedAction}
        fields={{ jobId: job.id, paused: String(!job.paused) }}
        label={job.paused ? t("job.resume") : t("job.pause")}
      />
      {isManaged ? (
        <ActionButton
          action={requestRunAction}
          fields={{ jobId: job.id, params: JSON.stringify(job.default_params) }}
          label={t("job.runNow")}
          variant="primary"
        />
      ) : null}
      {/* Before any run there is nothing to rerun: the same dialog runs it with other parameters. */}
      {isManaged ? (
        <RerunDialog
          jobId={job.id}
          rerunOf={job.last_run_id}
          defaultParams={job.default_params}
          labels={rerunDialogLabels(t, job.title, job.last_run_id ? t("job.rerun") : t("job.runWithParams"))}
        />
      ) : null}
    </div>
  );
}
