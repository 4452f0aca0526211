"use client";

import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, inputClass, invalidProps } from "@/components/ui/form-field";
import { Snippet } from "@/components/ui/snippet";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { createAgentTokenAction, type CreateAgentState } from "@/server/agents/actions";

function startSnippet(appUrl: string, token: string): string {
  return [
    `curl -fsSLO ${appUrl}/jobboard.mjs`,
    `export JOBBOARD_HUB_URL=${appUrl} JOBBOARD_AGENT_TOKEN=${token}`,
    `node jobboard.mjs agent --config jobboard-agent.json`,
  ].join("\n");
}

/** Creates an agent and shows its token once, with the lines that start it. */
export function CreateAgentForm({ appUrl }: { appUrl: string }) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction<CreateAgentState>(createAgentTokenAction, {}, { resetOnSuccess: true });
  const errors = state.fieldErrors;
  const created = state.created;
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-xl gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
        <FormField label={t("agents.tokens.name")} name="name" error={errors?.name} hint={t("agents.tokens.nameHint")}>
          <input id="name" name="name" autoComplete="off" className={inputClass} {...invalidProps(errors, "name")} />
        </FormField>
        <Button type="submit" disabled={isPending}>{t("agents.tokens.create")}</Button>
      </form>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {created ? (
        <section role="status" aria-label={t("agents.tokens.newToken")} className="max-w-3xl space-y-3 rounded-card border border-border bg-canvas p-4 text-sm">
          <p>
            <strong>{created.name}</strong>. {t("agents.tokens.shownOnce")}
          </p>
          <p className="flex flex-wrap items-center gap-2">
            <code data-testid="new-agent-token" className="break-all rounded bg-surface px-2 py-1 font-mono">
              {created.token}
            </code>
            <CopyButton value={created.token} label={t("agents.tokens.copy")} />
          </p>
          <Snippet title={t("agents.tokens.start")} text={startSnippet(appUrl, created.token)} copyLabel={t("snippet.copy")} />
        </section>
      ) : null}
    </div>
  );
}
