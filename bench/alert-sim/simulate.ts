// The alert simulator's engine: jobs report through the real ingest, the real tick checks them,
// and the real deliverer sends the alerts over HTTP to a Slack stand-in, all on a simulated
// clock against a real PostgreSQL. What Slack received, and when, is then judged against what
// Jobboard's rules call for (see model.ts and judge.ts). A scenario says what goes wrong.
import type { Sql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { reportSchema } from "@/server/ingest/schemas";
import { ingestReportIn } from "@/server/ingest/service";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { releaseHeldAlerts } from "@/server/notify/held";
import { markMissedJobs, timeOutStuckRuns } from "@/server/schedule/tick";
import { type Delivered, judge, type Judgement, type Want } from "./judge";
import { type AlertKind, planJobs, random, type SimJob, scriptFor } from "./model";
import { HOUR, MINUTE, type Scenario, type Span } from "./scenario";
import { startSlackStandIn } from "./slack";

export { ALERT_KINDS } from "./model";
export { meetsGoals } from "./judge";

export type SimResult = Judgement & {
  scenario: string;
  about: string;
  jobs: number;
  slots: number;
  reports: number;
  ticks: number;
  /** Sends Slack refused while it was down. */
  refused: number;
  /** Alerts still pending, or given up on, when the clock stopped: each one is lost. */
  undelivered: number;
  elapsedMs: number;
};

type Space = { index: number; id: string; name: string; keyOf: Map<string, string>; maintenance: Span[] };
type Timed = { at: number; workspaceId: string; body: Record<string, unknown> };

async function createWorkspace(sql: Sql, name: string, webhookUrl: string, maintenance: Span[]): Promise<string> {
  return withService(sql, async (tx) => {
    const slug = `sim-${Math.random().toString(36).slice(2, 12)}`;
    const [workspace] = await tx<{ id: string }[]>`insert into workspaces (name, slug) values (${name}, ${slug}) returning id`;
    const id = workspace!.id;
    await tx`insert into workspace_secrets (workspace_id, slack_webhook_url) values (${id}, ${webhookUrl})`;
    for (const window of maintenance) {
      await tx`insert into maintenance_windows (workspace_id, title, starts_at, ends_at)
               values (${id}, 'Simulated maintenance', ${new Date(window.from)}, ${new Date(window.to)})`;
    }
    return id;
  });
}

/** Creates the jobs; answers each one's key by its id. */
async function createJobs(sql: Sql, workspaceId: string, jobs: SimJob[], from: number): Promise<Map<string, string>> {
  const rows = jobs.map((job) => ({
    workspace_id: workspaceId,
    job_key: job.key,
    title: job.key,
    schedule_cron: "cron" in job.schedule ? job.schedule.cron : null,
    schedule_timezone: "cron" in job.schedule ? job.schedule.zone : null,
    schedule_period_seconds: "periodSeconds" in job.schedule ? job.schedule.periodSeconds : null,
    grace_seconds: job.graceSeconds,
    timeout_seconds: job.timeoutSeconds,
    created_at: new Date(from),
  }));
  const keys = new Map<string, string>();
  for (let index = 0; index < rows.length; index += 500) {
    const created = await withService(sql, (tx) => tx<{ id: string; job_key: string }[]>`
      insert into jobs ${tx(rows.slice(index, index + 500))} returning id, job_key`);
    for (const row of created) keys.set(row.id, row.job_key);
  }
  return keys;
}

function kindOf(alert: { kind: string; status: string | null }): AlertKind | null {
  if (alert.kind === "missed") return "missed";
  if (alert.kind === "recovery") return "recovered";
  if (alert.kind === "failure") return alert.status === "timed_out" ? "timed_out" : "failed";
  return null;
}

/**
 * Runs one scenario in the database `sql` holds (empty but migrated; it is the scenario's own, as
 * the deliverer and the tick work on every workspace in it). Reports arrive at their times, the
 * deliverer runs after every commit that queued alerts, when its next retry is due, and at every
 * tick, as the in-process notifier and the tick's sweep would.
 */
export async function simulate(options: { sql: Sql; scenario: Scenario; log?: (line: string) => void }): Promise<SimResult> {
  const began = Date.now();
  const { sql, scenario } = options;
  const from = scenario.start.getTime();
  const to = from + scenario.hours * HOUR;
  const slack = await startSlackStandIn(scenario.slackOutages ?? []);
  try {
    const spaces: Space[] = [];
    const reports: Timed[] = [];
    const wanted: Want[] = [];
    let slots = 0;
    let jobCount = 0;
    let longest = 0;
    for (const [index, plan] of scenario.workspaces.entries()) {
      const next = random(plan.seed);
      const jobs = planJobs(plan.jobs, next, plan.mix);
      const maintenance = plan.maintenance ?? [];
      const id = await createWorkspace(sql, plan.name, slack.webhookFor(index), maintenance);
      spaces.push({ index, id, name: plan.name, keyOf: await createJobs(sql, id, jobs, from), maintenance });
      for (const job of jobs) {
        const script = scriptFor(job, from, to, next);
        reports.push(...script.reports.map((report) => ({ ...report, workspaceId: id })));
        wanted.push(...script.expected.map((want) => ({ ...want, workspace: index, workspaceName: plan.name, maintenance })));
        slots += script.slots;
        longest = Math.max(longest, job.timeoutSeconds + job.graceSeconds);
      }
      jobCount += jobs.length;
    }
    // Stable: two workspaces' reports at one instant stay in workspace order.
    reports.sort((a, b) => a.at - b.at);
    const spaceOf = new Map(spaces.map((space) => [space.id, space]));
    // The clock runs on past the window until everything due in it has had its chance.
    const end = to + longest * 1000 + 10 * MINUTE;
    const holds = spaces.some((space) => space.maintenance.length > 0);

    const delivered: Delivered[] = [];
    const seen = new Set<string>();
    let since = new Date(0);
    let retryAt: number | null = null;
    /** The deliverer at `at`: what Slack took is read back from the outbox and checked against what the stand-in got. */
    const deliver = async (at: number) => {
      slack.setClock(at);
      const before = slack.received.length;
      const result = await deliverPendingAlerts(sql, { now: new Date(at) });
      const nextAttempt = result.nextAttemptAt?.getTime() ?? null;
      retryAt = nextAttempt !== null && nextAttempt > at && nextAttempt <= end ? nextAttempt : null;
      if (result.sent === 0) return;
      const rows = await withService(sql, (tx) => tx<{ id: string; workspace_id: string; job_id: string; kind: string; status: string | null; sent_at: Date }[]>`
        select id, workspace_id, job_id, kind, detail->>'status' as status, sent_at from alerts
        where status = 'sent' and sent_at >= ${since}`);
      const sent: Delivered[] = [];
      for (const row of rows) {
        if (row.sent_at > since) since = row.sent_at;
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        const space = spaceOf.get(row.workspace_id)!;
        const kind = kindOf(row);
        if (kind) sent.push({ workspace: space.index, jobKey: space.keyOf.get(row.job_id) ?? row.job_id, kind, at });
      }
      // What the outbox calls sent is what reached each workspace's own webhook.
      const told = (list: { workspace: number; jobKey: string }[]) => list.map((item) => `${item.workspace}:${item.jobKey}`).sort().join(",");
      const got = slack.received.slice(before);
      if (told(got) !== told(sent)) throw new Error(`the outbox marked ${told(sent)} sent at ${new Date(at).toISOString()}, Slack got ${told(got)}`);
      delivered.push(...sent);
    };
    const retriesBefore = async (at: number) => {
      while (retryAt !== null && retryAt < at) await deliver(retryAt);
    };

    let nextReport = 0;
    let ticks = 0;
    for (let tick = from + MINUTE; tick <= end; tick += MINUTE) {
      while (nextReport < reports.length && reports[nextReport]!.at <= tick) {
        const at = reports[nextReport]!.at;
        await retriesBefore(at);
        // Reports at one instant commit before the notifier runs, so their alerts share a batch.
        let queued = false;
        while (nextReport < reports.length && reports[nextReport]!.at === at) {
          const report = reports[nextReport++]!;
          // The ingest's own transaction, without waking the in-process notifier: here the simulation is the notifier.
          const result = await withService(sql, (tx) => ingestReportIn(tx, { workspaceId: report.workspaceId, report: reportSchema.parse(report.body), now: new Date(at) }));
          queued ||= result.alertQueued;
        }
        if (queued) await deliver(at);
      }
      await retriesBefore(tick);
      const now = new Date(tick);
      const missed = await markMissedJobs(sql, now);
      const timedOut = await timeOutStuckRuns(sql, now);
      // Only a scenario with maintenance windows has held alerts to release: the rest save the query.
      const released = holds ? await releaseHeldAlerts(sql, now) : 0;
      // The tick's sweep, when the tick queued or released something: otherwise it would find
      // nothing the deliveries after each commit and each retry left behind.
      if (missed.length > 0 || timedOut.length > 0 || released > 0 || retryAt === tick) await deliver(tick);
      ticks++;
      if (options.log && ticks % 1440 === 0) options.log(`day ${ticks / 1440}: ${nextReport} reports, ${delivered.length} alerts told`);
    }

    const [left] = await withService(sql, (tx) => tx<{ count: number }[]>`
      select count(*)::int as count from alerts where status in ('pending', 'failed')`);
    return {
      scenario: scenario.name,
      about: scenario.about,
      jobs: jobCount,
      slots,
      reports: reports.length,
      ticks,
      refused: slack.refused(),
      undelivered: left?.count ?? 0,
      ...judge(wanted, delivered, { to, slackOutages: scenario.slackOutages ?? [] }),
      elapsedMs: Date.now() - began,
    };
  } finally {
    await slack.close();
  }
}
