import { formatDuration } from "./duration";

export type RunSummary = {
  title: string;
  jobKey: string;
  isSuccess: boolean;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  host: string;
  tags: string[];
  stderrTail: string;
};

const STDERR_IN_SLACK = 2500;

/** The Slack message for a finished command: pure, so it is tested as data. */
export function slackSummary(run: RunSummary): Record<string, unknown> {
  const outcome = run.isSuccess ? "succeeded" : run.signal ? `was terminated by ${run.signal}` : "failed";
  const headline = `${run.isSuccess ? ":white_check_mark:" : ":x:"} *${run.title}* ${outcome}`;
  const facts = [
    `exit code ${run.exitCode ?? "none"}`,
    `took ${formatDuration(run.durationMs)}`,
    `on ${run.host}`,
    ...(run.tags.length > 0 ? [`tags ${run.tags.join(", ")}`] : []),
  ].join(" · ");
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: headline } },
    { type: "context", elements: [{ type: "mrkdwn", text: `\`${run.jobKey}\` · ${facts}` }] },
  ];
  if (!run.isSuccess && run.stderrTail.trim()) {
    const tail = run.stderrTail.length > STDERR_IN_SLACK ? `…${run.stderrTail.slice(-STDERR_IN_SLACK)}` : run.stderrTail;
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `\`\`\`${tail.replaceAll("```", "ʼʼʼ")}\`\`\`` } });
  }
  return { text: `${run.title} ${outcome} (${facts})`, blocks };
}

/** Posts to a Slack incoming webhook; a warning to print on failure, null on success. */
export async function postToSlack(webhookUrl: string, message: Record<string, unknown>, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok ? null : `Slack answered HTTP ${response.status}`;
  } catch (error) {
    return `could not post to Slack (${(error as Error).message})`;
  }
}
