"use client";

import { CreateForm, NewToken } from "@/components/ui/create-form";
import { Field } from "@/components/ui/field";
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
  const form = useFormAction<CreateAgentState>(createAgentTokenAction, {}, { resetOnSuccess: true });
  const { created, fieldErrors } = form.state;
  return (
    <CreateForm
      {...form}
      className="max-w-xl sm:grid-cols-[1fr_auto]"
      submit={t("agents.tokens.create")}
      created={
        created ? (
          <NewToken label={t("agents.tokens.newToken")} name={created.name} shownOnce={t("agents.tokens.shownOnce")} token={created.token} copyLabel={t("agents.tokens.copy")} testId="new-agent-token">
            <Snippet title={t("agents.tokens.start")} text={startSnippet(appUrl, created.token)} copyLabel={t("snippet.copy")} />
          </NewToken>
        ) : null
      }
    >
      <Field label={t("agents.tokens.name")} name="name" error={fieldErrors?.name} hint={t("agents.tokens.nameHint")} autoComplete="off" />
    </CreateForm>
  );
}
