import { CopyButton } from "@/components/ui/copy-button";
import { Snippet } from "@/components/ui/snippet";
import { jobboardRunSnippet, shellQuote } from "@/lib/snippets";
import type { Translate } from "@/lib/i18n/messages";

/** How a script reports to this job by ping: its URL, and the same run from curl, runitor and the CLI. */
export function PingSnippets({ appUrl, pingUuid, jobKey, jobTitle, t }: { appUrl: string; pingUuid: string; jobKey: string; jobTitle: string; t: Translate }) {
  const url = `${appUrl}/ping/${pingUuid}`;
  const snippets: Array<[name: string, text: string]> = [
    [
      "curl",
      [
        `curl -fsS -m 10 --retry 5 -o /dev/null ${url}/start`,
        // $? is the script's exit status; its output becomes the run's log.
        `./backup.sh > /tmp/backup.log 2>&1; curl -fsS -m 10 --retry 5 -o /dev/null --data-binary @/tmp/backup.log ${url}/$?`,
      ].join("\n"),
    ],
    ["runitor", `runitor -api-url ${appUrl}/ping -uuid ${pingUuid} -- ./backup.sh`],
    ["jobboard run", jobboardRunSnippet(appUrl, "<report key>", `--job-key ${shellQuote(jobKey)} --title ${shellQuote(jobTitle)}`)],
  ];
  return (
    <section aria-label={t("job.pingUrl")} className="mb-6 space-y-3 rounded-card border border-border bg-surface p-4 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{t("job.pingUrl")}</span>
        <code data-testid="ping-url" className="break-all rounded bg-canvas px-2 py-1 font-mono text-xs">
          {url}
        </code>
        <CopyButton value={url} label={t("job.pingCopy")} />
      </p>
      <p className="text-xs text-muted">{t("job.pingHint")}</p>
      {snippets.map(([name, text]) => (
        <Snippet key={name} title={name} text={text} copyLabel={t("snippet.copyNamed", { name })} />
      ))}
    </section>
  );
}
