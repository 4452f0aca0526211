import { Chip } from "@/components/ui/chip";
import type { Translate } from "@/lib/i18n/messages";
import { formatInZone } from "@/lib/time";
import type { RunStatus } from "@/server/runs/status";
import { ErrorDetailChip } from "./error-detail-chip";
import { runCodeLabel, runCodeText } from "./run-code";
import { STATUS_TONE, isFailure } from "./status";

type RunForChip = {
  id: string;
  status: RunStatus;
  job_title: string;
  job_kind: string;
  exit_code: number | null;
  message: string | null;
  stderr_tail: string | null;
  finished_at: Date | null;
  queued_at: Date;
};

/** A run's status; a failed one opens its error detail when clicked, wherever it is shown. */
export function StatusChip({ run, t, timezone }: { run: RunForChip; t: Translate; timezone: string }) {
  const label = t(`status.${run.status}`);
  if (!isFailure(run.status)) return <Chip tone={STATUS_TONE[run.status]}>{label}</Chip>;
  return (
    <ErrorDetailChip
      detail={{
        runId: run.id,
        jobTitle: run.job_title,
        statusLabel: label,
        when: formatInZone(run.finished_at ?? run.queued_at, timezone),
        code: runCodeText(run, t),
        message: run.message,
        stderr: run.stderr_tail,
      }}
      labels={{
        title: t("run.errorDetail"),
        message: t("run.message"),
        stderr: t("run.stderr"),
        noStderr: t("run.noStderr"),
        code: runCodeLabel([run.job_kind], t),
        open: t("run.open"),
        close: t("rerun.cancel"),
      }}
    />
  );
}
