import { CopyButton } from "@/components/ui/copy-button";
import type { Translate } from "@/lib/i18n/messages";

/** How a script reports to this job by ping: its URL, and the same run from curl, runitor and the CLI. */
export function PingSnippets({ appUrl, pingUuid, jobKey, t }: { appUrl: string; pingUuid: string; jobKey: string; t: Translate }) {
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
    ["jobboard run", [`export JOBBOARD_HUB_URL=${appUrl} JOBBOARD_TOKEN=<report key>`, `npx jobboard run --job-key ${jobKey} -- ./backup.sh`].join("\n")],
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
        <div key={name}>
          <p className="mb-1 font-medium">{name}</p>
          <pre tabIndex={0} className="overflow-x-auto rounded-card bg-sidebar p-3 font-mono text-xs text-sidebar-text">{text}</pre>
        </div>
      ))}
    </section>
  );
}
