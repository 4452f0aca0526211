"use client";

import { useLocalized } from "@/lib/i18n/client";
import { useActionState } from "react";
import { createWorkspaceAction } from "@/server/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function CreateWorkspaceForm({ labels }: { labels: { workspaceName: string; submit: string } }) {
  const [rawState, action, isPending] = useActionState(createWorkspaceAction, {});
  const state = useLocalized(rawState);
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? <Alert>{state.error}</Alert> : null}
      <Field label={labels.workspaceName} name="workspaceName" required error={state.fieldErrors?.workspaceName} />
      <Button type="submit" className="w-full" disabled={isPending}>
        {labels.submit}
      </Button>
    </form>
  );
}
