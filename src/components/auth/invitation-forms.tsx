"use client";

import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { useLocalizedAction } from "@/components/ui/use-form-action";
import { acceptInvitationAction, joinWithPasswordAction } from "@/server/members/actions";
import { AuthForm } from "./auth-form";

export function AcceptInvitationForm({ token, label }: { token: string; label: string }) {
  const [state, action, isPending] = useLocalizedAction(acceptInvitationAction, {});
  return (
    <AuthForm action={action} notice={state.error ? <Alert>{state.error}</Alert> : null} isPending={isPending} submit={label}>
      <input type="hidden" name="token" value={token} />
    </AuthForm>
  );
}

export function JoinWithPasswordForm({ token, email, labels }: { token: string; email: string; labels: { email: string; password: string; submit: string } }) {
  const [state, action, isPending] = useLocalizedAction(joinWithPasswordAction, {});
  return (
    <AuthForm action={action} noValidate notice={state.error && !state.fieldErrors ? <Alert>{state.error}</Alert> : null} isPending={isPending} submit={labels.submit}>
      <input type="hidden" name="token" value={token} />
      {/* The account is for the invited address only: shown, never typed. */}
      <Field label={labels.email} name="email" type="email" value={email} readOnly autoComplete="username" />
      <Field label={labels.password} name="password" type="password" autoComplete="new-password" minLength={8} required error={state.fieldErrors?.password} />
    </AuthForm>
  );
}
