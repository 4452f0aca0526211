"use client";

import { signInAction } from "@/server/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { useLocalizedAction } from "@/components/ui/use-form-action";
import { AuthForm } from "./auth-form";

export type SignInLabels = { email: string; password: string; submit: string; pending: string };

export function SignInForm({ labels, next }: { labels: SignInLabels; next?: string }) {
  const [state, action, isPending] = useLocalizedAction(signInAction, {});
  return (
    <AuthForm action={action} noValidate notice={state.error ? <Alert>{state.error}</Alert> : null} isPending={isPending} submit={labels.submit} pending={labels.pending}>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field label={labels.email} name="email" type="email" autoComplete="email" required error={state.fieldErrors?.email} />
      <Field label={labels.password} name="password" type="password" autoComplete="current-password" required error={state.fieldErrors?.password} />
    </AuthForm>
  );
}
