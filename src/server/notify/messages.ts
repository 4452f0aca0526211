import { formatDuration } from "@/lib/time";

export type NotifyEvent =
  | { kind: "failure"; status: "failed" | "timed_out" }
  | { kind: "recovery" }
  | { kind: "success" }
  | { kind: "missed"; dueAt: Date };

export type RunSummary = {
  jobTitle: string;
  jobKey: string;
  durationMs: number | null;
  exitCode: number | null;
  message: string | null;
  stderrTail: string | null;
  runUrl: string | null;
};

// Slack refuses a section text over 3,000 characters; keep room for the fences and the marker.
const STDERR_CHARS = 2800;

const HEADLINE: Record<NotifyEvent["kind"], string> = {
  failure: ":rotating_light:",
  recovery: ":white_check_mark:",
  success: ":large_green_circle:",
  missed: ":alarm_clock:",
};

function headline(event: NotifyEvent, title: string): string {
  switch (event.kind) {
    case "failure":
      return `${HEADLINE.failure} *${title}* ${event.status === "timed_out" ? "timed out" : "failed"}`;
    case "recovery":
      return `${HEADLINE.recovery} *${title}* recovered`;
    case "success":
      return `${HEADLINE.success} *${title}* succeeded`;
    case "missed":
      return `${HEADLINE.missed} *${title}* missed its run due ${event.dueAt.toISOString()}`;
  }
}

/** The end of a long stderr, which is where the error is, inside a code block Slack accepts. */
export function stderrBlock(stderr: string): string {
  const clipped = stderr.length > STDERR_CHARS ? `…${stderr.slice(-STDERR_CHARS)}` : stderr;
  // A fence inside the text would end the block early.
  return `\`\`\`${clipped.replaceAll("```", "`\u200b``")}\`\`\``;
}

/** A Block Kit message for one job event: pure, so it is tested as data. */
export function buildSlackMessage(event: NotifyEvent, run: RunSummary): { text: string; blocks: Record<string, unknown>[] } {
  const title = headline(event, run.jobTitle);
  const facts = [
    `\`${run.jobKey}\``,
    ...(run.durationMs != null ? [`duration ${formatDuration(run.durationMs)}`] : []),
    ...(run.exitCode != null ? [`exit code ${run.exitCode}`] : []),
  ].join(" · ");
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: title } },
    { type: "context", elements: [{ type: "mrkdwn", text: facts }] },
  ];
  if (run.message) blocks.push({ type: "section", text: { type: "plain_text", text: run.message.slice(0, 2900) } });
  if (event.kind === "failure" && run.stderrTail?.trim()) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: stderrBlock(run.stderrTail) } });
  }
  if (run.runUrl) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open in Jobboard" }, url: run.runUrl }],
    });
  }
  return { text: title.replaceAll("*", ""), blocks };
}
