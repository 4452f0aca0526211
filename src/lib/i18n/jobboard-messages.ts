import { formatDuration, formatInZone } from "@/lib/time";
import type { Translate } from "./messages";

type Rule = { pattern: RegExp; render: (match: RegExpExecArray, t: Translate, timezone: string) => string };

// The messages Jobboard itself writes onto runs and incidents (the tick, the executor, the
// agents' leases), stored in English as written. A job's own words never match and are shown
// as they came.
const RULES: Rule[] = [
  {
    pattern: /^No run since (\S+) \(due, plus (\d+) min grace\)$/,
    render: (m, t, tz) => t("msg.missed", { time: formatInZone(new Date(m[1]!), tz), grace: m[2]! }),
  },
  {
    pattern: /^No run since (\S+) \(due, plus (\d+) min grace; Jobboard itself was down from (\S+) to (\S+)\)$/,
    render: (m, t, tz) =>
      t("msg.missedInOutage", { time: formatInZone(new Date(m[1]!), tz), grace: m[2]!, from: formatInZone(new Date(m[3]!), tz), to: formatInZone(new Date(m[4]!), tz) }),
  },
  { pattern: /^Timed out after (\d+) s$/, render: (m, t) => t("msg.timedOutAfter", { duration: formatDuration(Number(m[1]) * 1000, t.locale) }) },
  {
    pattern: /^Timed out: still running (\d+) s after it started$/,
    render: (m, t) => t("msg.stillRunning", { duration: formatDuration(Number(m[1]) * 1000, t.locale) }),
  },
  {
    pattern: /^No progress for (\d+) minutes(?: \(at stage (.+)\))?$/,
    render: (m, t) => t("msg.noProgress", { minutes: m[1]! }) + (m[2] ? t("msg.atStage", { stage: m[2] }) : ""),
  },
  {
    pattern: /^Lost: agent (.+) stopped answering, and its lease ran out at (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC$/,
    render: (m, t, tz) => t("msg.lost", { agent: m[1]!, time: formatInZone(new Date(`${m[2]!.replace(" ", "T")}Z`), tz) }),
  },
  { pattern: /^Timed out$/, render: (_, t) => t("status.timed_out") },
  { pattern: /^Canceled$/, render: (_, t) => t("status.canceled") },
];

/** A run's or incident's message in the reader's language when Jobboard wrote it; else as it is. */
export function jobboardMessage(message: string | null, t: Translate, timezone: string): string | null {
  if (!message) return message;
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (match) return rule.render(match, t, timezone);
  }
  return message;
}
