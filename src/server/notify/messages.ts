import { runCode } from "@/lib/run-code";
import { formatDuration } from "@/lib/time";
import type { IncidentKind } from "../incidents/transitions";

export type FailureStatus = "failed" | "timed_out" | "lost";

export type NotifyEvent =
  | { kind: "failure"; status: FailureStatus; failureCount?: number }
  /** The incident it ends: what was wrong, from when to when, and how many failures it held. */
  | { kind: "recovery"; failureCount?: number; incidentKind?: IncidentKind; openedAt?: Date; resolvedAt?: Date }
  | { kind: "success" }
  /** `outage`: the slot fell inside Jobboard's own outage, and was judged after its catch-up. */
  | { kind: "missed"; dueAt: Date; outage?: { from: Date; to: Date } }
  /** An open incident nobody has acknowledged, recalled every few hours while it lasts. */
  | { kind: "reminder"; incidentKind: IncidentKind; openedAt: Date; failureCount?: number }
  /** A running run whose progress has not moved for the job's stall minutes. */
  | { kind: "stalled"; minutes: number; stage: string | null }
  /** A success that broke one of the job's duration rules. */
  | { kind: "duration"; rule: DurationRule; limitMs: number; durationMs: number };

/** too_fast: under the minimum; over_max: over the ceiling; over_p95: over factor × the job's p95. */
export type DurationRule = "too_fast" | "over_max" | "over_p95";

export type RunSummary = {
  jobTitle: string;
  jobKey: string;
  durationMs: number | null;
  exitCode: number | null;
  /** The job's kind, which says what exitCode means: an HTTP job's is its response's status. */
  jobKind?: string;
  message: string | null;
  stderrTail: string | null;
  runUrl: string | null;
  /** A line of context, such as why the alert comes late. */
  note?: string | null;
};

// Slack refuses a section text over 3,000 characters; keep room for the fences and the marker.
const STDERR_CHARS = 2800;

const HEADLINE: Record<NotifyEvent["kind"], string> = {
  failure: ":rotating_light:",
  recovery: ":white_check_mark:",
  success: ":large_green_circle:",
  missed: ":alarm_clock:",
  reminder: ":bell:",
  stalled: ":hourglass:",
  duration: ":warning:",
};

const STILL: Record<Extract<NotifyEvent, { kind: "reminder" }>["incidentKind"], string> = {
  failed: "is still failing",
  missed: "is still missing its runs",
  timed_out: "is still timing out",
  lost: "still has a lost run",
  stalled: "is still stalled",
};

const WAS: Record<IncidentKind, string> = {
  failed: "failing",
  missed: "missing runs",
  timed_out: "timing out",
  lost: "lost",
  stalled: "stalled",
};

const FAILURE_WORDS: Record<FailureStatus, string> = {
  failed: "failed",
  timed_out: "timed out",
  lost: "was lost (its agent stopped answering)",
};

/**
 * Slack's mrkdwn reads `<…>` as links and mentions (`<!channel>`), so text from a job or a
 * script escapes the three characters Slack asks to be escaped.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const times = (count: number) => (count === 1 ? "once" : `${count} times`);

function headline(event: NotifyEvent, rawTitle: string): string {
  const title = escapeMrkdwn(rawTitle);
  switch (event.kind) {
    case "failure": {
      const repeated = event.failureCount && event.failureCount > 1 ? ` (${event.failureCount} failures in a row so far)` : "";
      return `${HEADLINE.failure} *${title}* ${FAILURE_WORDS[event.status]}${repeated}`;
    }
    case "recovery": {
      const after = event.failureCount && event.failureCount > 1 ? ` after failing ${times(event.failureCount)}` : "";
      return `${HEADLINE.recovery} *${title}* recovered${after}`;
    }
    case "success":
      return `${HEADLINE.success} *${title}* succeeded`;
    case "missed":
      return `${HEADLINE.missed} *${title}* missed its run due ${event.dueAt.toISOString()}${event.outage ? `, which fell inside Jobboard's own outage from ${event.outage.from.toISOString()} to ${event.outage.to.toISOString()}: no report of it arrived after Jobboard came back` : ""}`;
    case "stalled": {
      const stage = event.stage ? ` at stage ${escapeMrkdwn(event.stage)}` : "";
      return `${HEADLINE.stalled} *${title}* has stalled${stage}: no progress for ${event.minutes} minutes, still running`;
    }
    case "duration": {
      const took = formatDuration(event.durationMs);
      const limit = formatDuration(event.limitMs);
      if (event.rule === "too_fast") return `${HEADLINE.duration} *${title}* succeeded in only ${took}, under its minimum of ${limit}: check that it did its work`;
      const bound = event.rule === "over_p95" ? `its recent runs allow (${limit})` : `its limit of ${limit}`;
      return `${HEADLINE.duration} *${title}* succeeded but took ${took}, longer than ${bound}`;
    }
    case "reminder": {
      const failures = event.failureCount && event.failureCount > 1 ? `, ${event.failureCount} failures` : "";
      return `${HEADLINE.reminder} *${title}* ${STILL[event.incidentKind]}: open since ${event.openedAt.toISOString()}${failures}, not acknowledged`;
    }
  }
}

/** The end of a long stderr, which is where the error is, inside a code block Slack accepts. */
export function stderrBlock(stderr: string): string {
  const escaped = escapeMrkdwn(stderr);
  const clipped = escaped.length > STDERR_CHARS ? `…${escaped.slice(-STDERR_CHARS)}` : escaped;
  // A fence inside the text would end the block early.
  return `\`\`\`${clipped.replaceAll("```", "`\u200b``")}\`\`\``;
}

function codeWords(run: RunSummary): string[] {
  const code = runCode(run.jobKind ?? "reported", run.exitCode);
  if (!code) return [];
  return [code.kind === "http" ? `HTTP ${code.status}` : `exit code ${code.code}`];
}

/** What a recovery ends: how long the job was broken and how many failures that held. */
function recoveryFacts(event: Extract<NotifyEvent, { kind: "recovery" }>): string[] {
  const brokenFor =
    event.openedAt && event.resolvedAt
      ? [`${event.incidentKind ? WAS[event.incidentKind] : "broken"} for ${formatDuration(Math.max(0, event.resolvedAt.getTime() - event.openedAt.getTime()))}`]
      : [];
  const failures = event.failureCount ? [event.failureCount === 1 ? "1 failure" : `${event.failureCount} failures`] : [];
  return [...brokenFor, ...failures];
}

/** A Block Kit message for one job event: pure, so it is tested as data. */
export function buildSlackMessage(event: NotifyEvent, run: RunSummary): { text: string; blocks: Record<string, unknown>[] } {
  const title = headline(event, run.jobTitle);
  // A recovery tells of the incident it ends; the run's own facts and message would read as the
  // failure's, as if still current.
  const isRecovery = event.kind === "recovery";
  const facts = [
    `\`${escapeMrkdwn(run.jobKey)}\``,
    ...(isRecovery
      ? recoveryFacts(event)
      : [...(run.durationMs != null ? [`duration ${formatDuration(run.durationMs)}`] : []), ...codeWords(run)]),
  ].join(" · ");
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: title } },
    { type: "context", elements: [{ type: "mrkdwn", text: facts }] },
  ];
  if (run.note) blocks.push({ type: "context", elements: [{ type: "plain_text", text: run.note }] });
  // plain_text is never parsed for mentions or links, so the script's message goes as it is.
  if (run.message && !isRecovery) blocks.push({ type: "section", text: { type: "plain_text", text: run.message.slice(0, 2900) } });
  if (event.kind === "failure" && run.stderrTail?.trim()) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: stderrBlock(run.stderrTail) } });
  }
  if (run.runUrl) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open in Jobboard" }, url: run.runUrl }],
    });
  }
  // The notification text is mrkdwn too: it keeps the escapes, loses only the bold markers.
  return { text: title.replaceAll("*", ""), blocks };
}
