"use client";

import { createWorkspaceAction } from "@/server/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { useLocalizedAction } from "@/components/ui/use-form-action";
import { AuthForm } from "./auth-form";

export function CreateWorkspaceForm({ labels }: { labels: { workspaceName: string; submit: string } }) {
  const [state, action, isPending] = useLocalizedAction(createWorkspaceAction, {});
  return (
    <AuthForm action={action} noValidate notice={state.error ? <Alert>{state.error}</Alert> : null} isPending={isPending} submit={labels.submit}>
      <Field label={labels.workspaceName} name="workspaceName" required error={state.fieldErrors?.workspaceName} />
    </AuthForm>
  );
}
