import type { Translate } from "@/lib/i18n/messages";
import { runCode } from "@/lib/run-code";

/** A run's code as people read it: "HTTP 500" for an HTTP job, the bare exit code otherwise, "—" for none. */
export function runCodeText(run: { job_kind: string; exit_code: number | null }, t: Translate): string {
  const code = runCode(run.job_kind, run.exit_code);
  if (!code) return "—";
  return code.kind === "http" ? t("runs.httpStatusValue", { status: code.status }) : String(code.code);
}

/** The heading over the codes of runs of these job kinds. */
export function runCodeLabel(jobKinds: string[], t: Translate): string {
  if (jobKinds.length > 0 && jobKinds.every((kind) => kind === "http")) return t("runs.httpStatus");
  return jobKinds.includes("http") ? t("runs.exitCodeOrHttp") : t("runs.exitCode");
}
