"use client";

import { useLocalized } from "@/lib/i18n/client";
import { useActionState } from "react";
import { signUpAction } from "@/server/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export type SignUpLabels = {
  email: string;
  password: string;
  workspaceName: string;
  workspacePlaceholder: string;
  submit: string;
  pending: string;
};

export function SignUpForm({ labels }: { labels: SignUpLabels }) {
  const [rawState, action, isPending] = useActionState(signUpAction, {});
  const state = useLocalized(rawState);
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert tone={state.ok ? "info" : "danger"}>{state.error}</Alert> : null}
      <Field label={labels.email} name="email" type="email" autoComplete="email" required error={state.fieldErrors?.email} />
      <Field
        label={labels.password}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        error={state.fieldErrors?.password}
      />
      <Field
        label={labels.workspaceName}
        name="workspaceName"
        placeholder={labels.workspacePlaceholder}
        required
        error={state.fieldErrors?.workspaceName}
      />
      <Button type="submit" className="w-full" disabled={isPending}>
        {isPending ? labels.pending : labels.submit}
      </Button>
    </form>
  );
}
