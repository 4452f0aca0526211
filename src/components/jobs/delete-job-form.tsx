"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { deleteJobAction } from "@/server/jobs/actions";

export function DeleteJobForm({ jobId, jobKey }: { jobId: string; jobKey: string }) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(deleteJobAction, {});
  const errors = state.fieldErrors;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="max-w-2xl space-y-3">
      <input type="hidden" name="jobId" value={jobId} />
      <p className="text-sm">{t("deleteJob.warning")}</p>
      {state.error && !errors ? <Alert>{state.error}</Alert> : null}
      <Field label={t("delete.confirm", { slug: jobKey })} name="confirmKey" error={errors?.confirmKey} mono autoComplete="off" />
      <Button type="submit" disabled={isPending} className="bg-danger text-white">
        {t("deleteJob.submit")}
      </Button>
    </form>
  );
}
