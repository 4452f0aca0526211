"use client";

import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { changePasswordAction } from "@/server/auth/actions";
import { AuthForm } from "./auth-form";

export type ChangePasswordLabels = { current: string; next: string; submit: string };

export function ChangePasswordForm({ labels }: { labels: ChangePasswordLabels }) {
  const { state, onSubmit, isPending, formRef } = useFormAction(changePasswordAction, {});
  return (
    <AuthForm ref={formRef} onSubmit={onSubmit} noValidate notice={state.error && !state.fieldErrors ? <Alert>{state.error}</Alert> : null} isPending={isPending} submit={labels.submit}>
      <Field label={labels.current} name="currentPassword" type="password" autoComplete="current-password" required error={state.fieldErrors?.currentPassword} />
      <Field label={labels.next} name="newPassword" type="password" autoComplete="new-password" required error={state.fieldErrors?.newPassword} />
    </AuthForm>
  );
}
