"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import { createKeyAction, type CreateKeyState } from "@/server/ingest/key-actions";
import { CopyButton } from "@/components/ui/copy-button";
import { FormField, inputClass, invalidProps } from "@/components/ui/form-field";
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
  const { state, onSubmit, isPending, formRef } = useFormAction<CreateKeyState>(createKeyAction, {}, { resetOnSuccess: true });
  const errors = state.fieldErrors;
  const created = state.created;
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-2xl gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <FormField label={t("keys.name")} name="name" error={errors?.name} hint={t("keys.nameHint")}>
          <input id="name" name="name" autoComplete="off" className={inputClass} {...invalidProps(errors, "name")} />
        </FormField>
        <FormField label={t("keys.scope")} name="scope" error={errors?.scope}>
          <select id="scope" name="scope" defaultValue="report" className={inputClass}>
            <option value="report">{t("keys.scope.report")}</option>
            <option value="read">{t("keys.scope.read")}</option>
          </select>
        </FormField>
        <Button type="submit" disabled={isPending}>{t("keys.create")}</Button>
      </form>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {created ? (
        <section role="status" aria-label={t("keys.newKey")} className="max-w-3xl space-y-3 rounded-card border border-border bg-canvas p-4 text-sm">
          <p>
            <strong>{created.name}</strong> ({created.scope}). {t("keys.shownOnce")}
          </p>
          <p className="flex flex-wrap items-center gap-2">
            <code data-testid="new-key" className="break-all rounded bg-surface px-2 py-1 font-mono">
              {created.token}
            </code>
            <CopyButton value={created.token} label={t("keys.copy")} />
          </p>
          {Object.entries(snippets(appUrl, created.token)).map(([name, text]) => (
            <Snippet key={name} title={SNIPPET_TITLES[name as keyof typeof SNIPPET_TITLES]} text={text} copyLabel={t("snippet.copyNamed", { name: SNIPPET_TITLES[name as keyof typeof SNIPPET_TITLES] })} />
          ))}
        </section>
      ) : null}
    </div>
  );
}
