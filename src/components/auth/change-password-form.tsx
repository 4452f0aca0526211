"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { changePasswordAction } from "@/server/auth/actions";

export type ChangePasswordLabels = { current: string; next: string; submit: string };

export function ChangePasswordForm({ labels }: { labels: ChangePasswordLabels }) {
  const { state, onSubmit, isPending, formRef } = useFormAction(changePasswordAction, {});
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.error && !state.fieldErrors ? <Alert>{state.error}</Alert> : null}
      <Field label={labels.current} name="currentPassword" type="password" autoComplete="current-password" required error={state.fieldErrors?.currentPassword} />
      <Field label={labels.next} name="newPassword" type="password" autoComplete="new-password" required error={state.fieldErrors?.newPassword} />
      <Button type="submit" className="w-full" disabled={isPending}>
        {labels.submit}
      </Button>
    </form>
  );
}
