import { ActionButton } from "@/components/ui/action-button";
import type { Translate } from "@/lib/i18n/messages";
import { reassignRunAction } from "@/server/agents/actions";
import type { JobRow } from "@/server/jobs/queries";
import { cancelRunAction } from "@/server/runs/actions";
import type { RunDetail } from "@/server/runs/queries";
import { RerunDialog } from "./rerun-dialog";
import { rerunDialogLabels } from "./rerun-labels";

/** What an operator can do with a run: cancel it while it is active, reassign it once lost, rerun it. */
export function RunActions({ run, job, t }: { run: RunDetail; job: JobRow | undefined; t: Translate }) {
  const isActive = run.status === "queued" || run.status === "running";
  return (
    <div className="flex items-center gap-2">
      {isActive ? (
        <ActionButton action={cancelRunAction} fields={{ runId: run.id }} label={t("run.cancel")} confirm={t("run.cancelConfirm")} keepLabel={t("run.keepRunning")} />
      ) : null}
      {run.status === "lost" ? (
        <ActionButton action={reassignRunAction} fields={{ runId: run.id }} label={t("run.reassign")} confirm={t("run.reassignConfirm")} />
      ) : null}
      {job && job.kind !== "reported" ? (
        <RerunDialog
          jobId={run.job_id}
          rerunOf={run.id}
          defaultParams={Object.keys(run.params).length > 0 ? run.params : job.default_params}
          labels={rerunDialogLabels(t, run.job_title, t("job.rerun"))}
        />
      ) : null}
    </div>
);
}
