"use client";

import { useLocalized } from "@/lib/i18n/client";
import { useActionState } from "react";
import { signInAction } from "@/server/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export type SignInLabels = { email: string; password: string; submit: string; pending: string };

export function SignInForm({ labels, next }: { labels: SignInLabels; next?: string }) {
  const [rawState, action, isPending] = useActionState(signInAction, {});
  const state = useLocalized(rawState);
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field label={labels.email} name="email" type="email" autoComplete="email" required error={state.fieldErrors?.email} />
      <Field
        label={labels.password}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={state.fieldErrors?.password}
      />
      <Button type="submit" className="w-full" disabled={isPending}>
        {isPending ? labels.pending : labels.submit}
      </Button>
    </form>
  );
}
