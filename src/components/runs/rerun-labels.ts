import type { Translate } from "@/lib/i18n/messages";

/** The rerun dialog's words, opened by `open` (Rerun, or Run with parameters… before any run). */
export function rerunDialogLabels(t: Translate, jobTitle: string, open: string) {
  return {
    open,
    title: t("rerun.title", { job: jobTitle }),
    description: t("rerun.description"),
    params: t("rerun.params"),
    submit: t("rerun.submit"),
    close: t("rerun.cancel"),
  };
}
