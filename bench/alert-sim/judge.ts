// Compares what Slack received with what Jobboard's rules call for. Each alert is judged by
// what should happen to it: told within the latency goal (normal), held by its workspace's
// maintenance window (then told when the window ends, or dropped if the incident resolved
// inside it), or delayed because Slack was down when it came due (told after, not lost).
import { type AlertKind, EVERY_KIND, type Expected } from "./model";
import { MINUTE, type Span } from "./scenario";

export type Want = Expected & { workspace: number; workspaceName: string; maintenance: Span[] };
export type Delivered = { workspace: number; jobKey: string; kind: AlertKind; at: number };

export type KindResult = { expected: number; alerted: number; falseAlerts: number; missedAlerts: number };
export type Late = { workspace: string; jobKey: string; kind: AlertKind; dueAt: Date; at: Date };

export type Judgement = {
  byKind: Record<AlertKind, KindResult>;
  falseAlerts: number;
  missedAlerts: number;
  /** Alerts neither held nor delayed by Slack, after their due time. */
  latencyMs: { p50: number; p99: number; max: number };
  /** Held by a maintenance window: told when it ended, or dropped because the incident resolved inside it. */
  held: { told: number; dropped: number; maxAfterWindowMs: number };
  /** Due while Slack was down, or queued behind such an alert of the same job. */
  delayed: { told: number; maxAfterSlackBackMs: number };
  /** Deferred by Jobboard's own outage; told at most this long after the later of due and Jobboard's return. */
  deferred: { told: number; maxAfterBackMs: number };
  /** Folded into an agent's incident as the rules call for; and folded where they call for a send. */
  folded: { expected: number; folded: number; unexpected: number };
  /** The five normal alerts that came latest after due, latest first. */
  latest: Late[];
  /** The first few mismatches, to start from when a run is not clean. */
  examples: string[];
};

const iso = (at: number) => new Date(at).toISOString();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** The tick notices a timeout at the first minute after it, and judges its window by then. */
const momentOf = (want: Want) => (want.kind === "timed_out" ? Math.floor(want.moment / MINUTE) * MINUTE + MINUTE : want.moment);
const inside = (spans: Span[], at: number) => spans.find((span) => span.from <= at && at < span.to) ?? null;

/**
 * Pairs each wanted alert with the first delivery of its job and kind at or after it could come,
 * and counts what is left over on either side. Wanted alerts due from `to` on are not judged, nor
 * deliveries from then on that pair with none.
 */
export function judge(wanted: Want[], delivered: Delivered[], p: { to: number; slackOutages: Span[]; jobboardOutages?: Span[]; folded?: Delivered[] }): Judgement {
  const jobboardOutages = p.jobboardOutages ?? [];
  const foldedAlerts = p.folded ?? [];
  const byKind = Object.fromEntries(EVERY_KIND.map((kind) => [kind, { expected: 0, alerted: 0, falseAlerts: 0, missedAlerts: 0 }])) as Record<AlertKind, KindResult>;
  const pending = new Map<string, Delivered[]>();
  for (const alert of delivered) {
    byKind[alert.kind].alerted++;
    const key = `${alert.workspace}:${alert.jobKey}:${alert.kind}`;
    pending.set(key, [...(pending.get(key) ?? []), alert]);
  }
  const latencies: number[] = [];
  const late: Late[] = [];
  const examples: string[] = [];
  const note = (line: string) => {
    if (examples.length < 10) examples.push(line);
  };
  const held = { told: 0, dropped: 0, maxAfterWindowMs: 0 };
  const delayed = { told: 0, maxAfterSlackBackMs: 0 };
  const deferred = { told: 0, maxAfterBackMs: 0 };
  const folds = new Map<string, number>();
  for (const alert of foldedAlerts) folds.set(`${alert.workspace}:${alert.jobKey}:${alert.kind}`, (folds.get(`${alert.workspace}:${alert.jobKey}:${alert.kind}`) ?? 0) + 1);
  const folded = { expected: 0, folded: foldedAlerts.length, unexpected: 0 };
  // Per job: how its last alert went, and the window that held its open incident's news.
  const lastOf = new Map<string, { delayed: boolean; at: number | null }>();
  const heldUntil = new Map<string, number>();
  const recoveries = new Map<string, number>();
  for (const want of wanted) if (want.kind === "recovered") recoveries.set(`${want.workspace}:${want.jobKey}:${want.incident}`, want.dueAt);

  for (const want of [...wanted].sort((a, b) => a.dueAt - b.dueAt)) {
    const job = `${want.workspace}:${want.jobKey}`;
    const incident = `${job}:${want.incident}`;
    const name = `${want.kind} for ${want.workspaceName}/${want.jobKey} due ${iso(want.dueAt)}`;
    // Held: the news of an incident that opened inside the window waits for the tick at its end.
    let releasedAt: number | null = null;
    if (want.kind !== "recovered") {
      const window = inside(want.maintenance, momentOf(want));
      if (window) heldUntil.set(incident, Math.ceil(window.to / MINUTE) * MINUTE);
    }
    const release = heldUntil.get(incident);
    if (release !== undefined) {
      const resolvedAt = recoveries.get(incident);
      if (resolvedAt !== undefined && resolvedAt <= release) {
        // Resolved before the window's end: nobody heard of it, so neither its news nor its recovery goes.
        if (want.dueAt < p.to) held.dropped++;
        continue;
      }
      if (want.kind !== "recovered") releasedAt = release;
    }
    if (want.dueAt >= p.to) continue;
    // Delayed: due while Slack was down (the tick finds misses and timeouts a minute after due),
    // or waiting behind an alert of its job that was.
    const previous = lastOf.get(job);
    const outage = p.slackOutages.find((span) => span.from - MINUTE <= want.dueAt && want.dueAt < span.to);
    const isDelayed = releasedAt === null && (outage !== undefined || (previous?.delayed === true && (previous.at === null || previous.at > want.dueAt)));
    byKind[want.kind].expected++;
    if (want.folded) {
      // Recorded on the agent's incident: never sent, so it pairs with a fold, not a delivery.
      folded.expected++;
      const key = `${job}:${want.kind}`;
      const left = folds.get(key) ?? 0;
      if (left > 0) folds.set(key, left - 1);
      else {
        byKind[want.kind].missedAlerts++;
        note(`${name} was not folded into its agent's incident`);
      }
      continue;
    }
    const candidates = pending.get(`${job}:${want.kind}`) ?? [];
    const earliest = releasedAt ?? want.dueAt;
    const index = candidates.findIndex((alert) => alert.at >= earliest);
    if (index === -1) {
      byKind[want.kind].missedAlerts++;
      note(`no ${name}${releasedAt !== null ? ` (held until ${iso(releasedAt)})` : ""}`);
      lastOf.set(job, { delayed: isDelayed, at: null });
      continue;
    }
    const [match] = candidates.splice(index, 1);
    lastOf.set(job, { delayed: isDelayed, at: match!.at });
    if (releasedAt !== null) {
      held.told++;
      held.maxAfterWindowMs = Math.max(held.maxAfterWindowMs, match!.at - releasedAt);
    } else if (want.deferred) {
      deferred.told++;
      const back = Math.max(want.dueAt, ...jobboardOutages.filter((span) => span.from <= match!.at).map((span) => span.to));
      deferred.maxAfterBackMs = Math.max(deferred.maxAfterBackMs, match!.at - back);
    } else if (isDelayed) {
      delayed.told++;
      const back = Math.max(want.dueAt, ...p.slackOutages.filter((span) => span.from - MINUTE <= match!.at).map((span) => span.to));
      delayed.maxAfterSlackBackMs = Math.max(delayed.maxAfterSlackBackMs, match!.at - back);
    } else {
      latencies.push(match!.at - want.dueAt);
      late.push({ workspace: want.workspaceName, jobKey: want.jobKey, kind: want.kind, dueAt: new Date(want.dueAt), at: new Date(match!.at) });
    }
  }
  for (const left of pending.values()) {
    for (const alert of left.filter((unpaired) => unpaired.at < p.to)) {
      byKind[alert.kind].falseAlerts++;
      note(`unexpected ${alert.kind} alert for workspace ${alert.workspace}/${alert.jobKey} at ${iso(alert.at)}`);
    }
  }
  for (const [key, left] of folds) {
    if (left === 0) continue;
    folded.unexpected += left;
    note(`${left} unexpected ${key} alert(s) folded into an agent's incident`);
  }
  latencies.sort((a, b) => a - b);
  const lateness = (alert: Late) => alert.at.getTime() - alert.dueAt.getTime();
  return {
    byKind,
    falseAlerts: EVERY_KIND.reduce((sum, kind) => sum + byKind[kind].falseAlerts, 0),
    missedAlerts: EVERY_KIND.reduce((sum, kind) => sum + byKind[kind].missedAlerts, 0),
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? 0 },
    held,
    delayed,
    deferred,
    folded,
    latest: late.sort((a, b) => lateness(b) - lateness(a)).slice(0, 5),
    examples,
  };
}

/** The goals: nothing false or missed, and normal alerts within a minute (p99) and two (max) of due. */
export function meetsGoals(result: Pick<Judgement, "falseAlerts" | "missedAlerts" | "latencyMs">): boolean {
  return result.falseAlerts === 0 && result.missedAlerts === 0 && result.latencyMs.p99 <= 60_000 && result.latencyMs.max <= 120_000;
}
