"use client";

import { signUpAction } from "@/server/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { useLocalizedAction } from "@/components/ui/use-form-action";
import { AuthForm } from "./auth-form";

export type SignUpLabels = {
  email: string;
  password: string;
  workspaceName: string;
  workspacePlaceholder: string;
  submit: string;
  pending: string;
};

export function SignUpForm({ labels }: { labels: SignUpLabels }) {
  const [state, action, isPending] = useLocalizedAction(signUpAction, {});
  const errors = state.fieldErrors;
  // A sign-up that needs the email confirmed first succeeds with a message, not a redirect.
  const notice = state.error ? <Alert tone={state.ok ? "info" : "danger"}>{state.error}</Alert> : null;
  return (
    <AuthForm action={action} noValidate notice={notice} isPending={isPending} submit={labels.submit} pending={labels.pending}>
      <Field label={labels.email} name="email" type="email" autoComplete="email" required error={errors?.email} />
      <Field label={labels.password} name="password" type="password" autoComplete="new-password" minLength={8} required error={errors?.password} />
      <Field label={labels.workspaceName} name="workspaceName" placeholder={labels.workspacePlaceholder} required error={errors?.workspaceName} />
    </AuthForm>
  );
}
