"use client";

import { useActionState } from "react";
import { signUpAction } from "@/server/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function SignUpForm() {
  const [state, action, isPending] = useActionState(signUpAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert tone={state.ok ? "info" : "danger"}>{state.error}</Alert> : null}
      <Field label="Email" name="email" type="email" autoComplete="email" required error={state.fieldErrors?.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        error={state.fieldErrors?.password}
      />
      <Field
        label="Workspace name"
        name="workspaceName"
        placeholder="e.g. Platform team"
        required
        error={state.fieldErrors?.workspaceName}
      />
      <Button type="submit" className="w-full" disabled={isPending}>
        {isPending ? "Creating…" : "Create account"}
      </Button>
    </form>
  );
}
