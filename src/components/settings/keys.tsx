"use client";

import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { createKeyAction, type CreateKeyState } from "@/server/ingest/key-actions";
import { CreateForm, NewToken } from "@/components/ui/create-form";
import { Field, SelectField } from "@/components/ui/field";
import { Snippet } from "@/components/ui/snippet";
import { jobboardRunSnippet } from "@/lib/snippets";

function snippets(appUrl: string, token: string) {
  return {
    curl: [
      `curl -sS -X POST ${appUrl}/api/monitor/job-report \\`,
      `  -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' \\`,
      `  -d '{"job_key":"nightly-backup","title":"Nightly backup","status":"success","finished_at":"'"$(date -u +%FT%TZ)"'"}'`,
    ].join("\n"),
    python: [
      `export JOBBOARD_HUB_URL=${appUrl} JOBBOARD_TOKEN=${token}`,
      `export JOBBOARD_JOB_KEY=nightly-backup JOBBOARD_JOB_TITLE="Nightly backup"`,
      `curl -sSO ${appUrl}/jobboard_report.py   # then: from jobboard_report import monitored_job`,
    ].join("\n"),
    cli: jobboardRunSnippet(appUrl, token, `--job-key nightly-backup --title "Nightly backup"`),
  };
}

const SNIPPET_TITLES = { curl: "curl", python: "Python (jobboard_report.py)", cli: "jobboard run" } as const;

export function CreateKeyForm({ appUrl }: { appUrl: string }) {
  const t = useT();
  const form = useFormAction<CreateKeyState>(createKeyAction, {}, { resetOnSuccess: true });
  const { created, fieldErrors } = form.state;
  return (
    <CreateForm
      {...form}
      className="max-w-2xl sm:grid-cols-[1fr_12rem_auto]"
      submit={t("keys.create")}
      created={
        created ? (
          <NewToken label={t("keys.newKey")} name={created.name} qualifier={created.scope} shownOnce={t("keys.shownOnce")} token={created.token} copyLabel={t("keys.copy")} testId="new-key">
            {Object.entries(snippets(appUrl, created.token)).map(([name, text]) => {
              const title = SNIPPET_TITLES[name as keyof typeof SNIPPET_TITLES];
              return <Snippet key={name} title={title} text={text} copyLabel={t("snippet.copyNamed", { name: title })} />;
            })}
          </NewToken>
        ) : null
      }
    >
      <Field label={t("keys.name")} name="name" error={fieldErrors?.name} hint={t("keys.nameHint")} autoComplete="off" />
      <SelectField label={t("keys.scope")} name="scope" error={fieldErrors?.scope} defaultValue="report">
        <option value="report">{t("keys.scope.report")}</option>
        <option value="read">{t("keys.scope.read")}</option>
      </SelectField>
    </CreateForm>
  );
}
