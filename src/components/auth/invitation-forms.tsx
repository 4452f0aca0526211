"use client";

import { useLocalized } from "@/lib/i18n/client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { acceptInvitationAction, joinWithPasswordAction } from "@/server/members/actions";

export function AcceptInvitationForm({ token, label }: { token: string; label: string }) {
  const [rawState, action, isPending] = useActionState(acceptInvitationAction, {});
  const state = useLocalized(rawState);
  return (
    <form action={action} className="space-y-4">
      {state.error ? <Alert>{state.error}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <Button type="submit" className="w-full" disabled={isPending}>
        {label}
      </Button>
    </form>
  );
}

export function JoinWithPasswordForm({ token, email, labels }: { token: string; email: string; labels: { email: string; password: string; submit: string } }) {
  const [rawState, action, isPending] = useActionState(joinWithPasswordAction, {});
  const state = useLocalized(rawState);
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error && !state.fieldErrors ? <Alert>{state.error}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      {/* The account is for the invited address only: shown, never typed. */}
      <Field label={labels.email} name="email" type="email" value={email} readOnly autoComplete="username" />
      <Field label={labels.password} name="password" type="password" autoComplete="new-password" minLength={8} required error={state.fieldErrors?.password} />
      <Button type="submit" className="w-full" disabled={isPending}>
        {labels.submit}
      </Button>
    </form>
  );
}
