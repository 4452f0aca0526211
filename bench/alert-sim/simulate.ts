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
import { agentLeaseSeconds, markOfflineAgents } from "@/server/agent-offline/incidents";
import { outagesUntil, recordTickHeartbeat } from "@/server/schedule/heartbeats";
import { enqueueDueRuns, markMissedJobs, timeOutStuckRuns } from "@/server/schedule/tick";
import { agentAlerts, agentScript, createAgent, planAgentJobs, simulatedAgent, type SimulatedAgent } from "./agent";
import { type Delivered, judge, type Judgement, type Want } from "./judge";
import { type AlertKind, type Expected, planJobs, random, type SimJob, scriptFor } from "./model";
import { HOUR, MINUTE, type Scenario, type Span } from "./scenario";
import { startSlackStandIn } from "./slack";

export { AGENT_ALERT_KINDS, ALERT_KINDS } from "./model";
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
async function createJobs(sql: Sql, workspaceId: string, jobs: SimJob[], from: number, agentId: string | null = null): Promise<Map<string, string>> {
  const rows = jobs.map((job) => ({
    workspace_id: workspaceId,
    kind: agentId ? "agent" : "reported",
    agent_id: agentId,
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
  if (alert.kind === "agent_offline") return "agent_down";
  if (alert.kind === "agent_recovery") return "agent_back";
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
    const outages = scenario.jobboardOutages ?? [];
    const downAt = (at: number) => outages.find((span) => span.from < at && at < span.to) ?? null;
    const agents: SimulatedAgent[] = [];
    const leaseMs = agentLeaseSeconds() * 1000;
    for (const [index, plan] of scenario.workspaces.entries()) {
      const next = random(plan.seed);
      const maintenance = plan.maintenance ?? [];
      const id = await createWorkspace(sql, plan.name, slack.webhookFor(index), maintenance);
      const wants = (expected: Expected[]) =>
        wanted.push(...expected.map((want) => ({ ...want, workspace: index, workspaceName: plan.name, maintenance })));
      if (plan.agentDown) {
        // The workspace's jobs run on one agent, which the tick and the agent drive: no reports.
        const jobs = planAgentJobs(plan.jobs, next);
        const agent = await createAgent(sql, id, `host-${index}`);
        spaces.push({ index, id, name: plan.name, keyOf: await createJobs(sql, id, jobs, from, agent.id), maintenance });
        const plans = new Map<string, ReturnType<typeof agentScript>["runs"]>();
        for (const job of jobs) {
          const script = agentScript(job, from, to, plan.agentDown, leaseMs, next);
          plans.set(job.key, script.runs);
          wants(script.expected);
          slots += script.slots;
          longest = Math.max(longest, job.timeoutSeconds + job.graceSeconds);
        }
        wants(agentAlerts(plan.agentDown, leaseMs, agent.name));
        agents.push(simulatedAgent(sql, agent, plan.agentDown, leaseMs, plans));
        jobCount += jobs.length;
        continue;
      }
      const jobs = planJobs(plan.jobs, next, plan.mix);
      spaces.push({ index, id, name: plan.name, keyOf: await createJobs(sql, id, jobs, from), maintenance });
      const spooling = outages.length > 0 ? { spans: outages, missingInside: scenario.missingInOutage ?? 0 } : undefined;
      for (const job of jobs) {
        const script = scriptFor(job, from, to, next, spooling);
        // The CLI spools what it cannot deliver while Jobboard is down, and replays it in order,
        // with the real times, when Jobboard answers again: each job a little after the outage
        // (what it sends meanwhile waits behind its spool).
        const replayAt = outages.map((span) => span.to + Math.round((30 + next() * 270) * 1000));
        const arrival = (at: number) => {
          const outage = outages.findIndex((span, index) => span.from < at && at < replayAt[index]!);
          return outage === -1 ? at : replayAt[outage]!;
        };
        const byTime = [...script.reports].sort((a, b) => a.at - b.at);
        reports.push(...byTime.map((report) => ({ ...report, at: arrival(report.at), workspaceId: id })));
        // Their news is told once it arrives: deferred, as is the tick's news of what fell due while it was down.
        wants(script.expected.map((want) => (want.kind !== "missed" && arrival(want.dueAt) !== want.dueAt ? { ...want, deferred: true } : want)));
        slots += script.slots;
        longest = Math.max(longest, job.timeoutSeconds + job.graceSeconds);
      }
      jobCount += jobs.length;
    }
    // Stable: two workspaces' reports at one instant stay in workspace order, a job's replayed spool in its order.
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
      const rows = await withService(sql, (tx) => tx<{ id: string; workspace_id: string; job_id: string | null; agent_name: string | null; kind: string; status: string | null; sent_at: Date }[]>`
        select a.id, a.workspace_id, a.job_id, ag.name as agent_name, a.kind, a.detail->>'status' as status, a.sent_at from alerts a
        left join agent_incidents ai on ai.id = a.agent_incident_id and a.job_id is null
        left join agents ag on ag.id = ai.agent_id
        where a.status = 'sent' and a.sent_at >= ${since}`);
      const sent: Delivered[] = [];
      for (const row of rows) {
        if (row.sent_at > since) since = row.sent_at;
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        const space = spaceOf.get(row.workspace_id)!;
        const kind = kindOf(row);
        const jobKey = row.job_id ? (space.keyOf.get(row.job_id) ?? row.job_id) : (row.agent_name ?? "");
        if (kind) sent.push({ workspace: space.index, jobKey, kind, at });
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
    const nextFinishAt = () => Math.min(Infinity, ...agents.map((agent) => agent.nextFinishAt()));
    for (let tick = from + MINUTE; tick <= end; tick += MINUTE) {
      // Jobboard is down: no tick, no delivery, and no report arrives (the CLI spools them).
      if (downAt(tick)) continue;
      for (;;) {
        const at = Math.min(reports[nextReport]?.at ?? Infinity, nextFinishAt());
        if (at > tick) break;
        await retriesBefore(at);
        // Reports at one instant commit before the notifier runs, so their alerts share a batch.
        let queued = false;
        while (nextReport < reports.length && reports[nextReport]!.at === at) {
          const report = reports[nextReport++]!;
          // The ingest's own transaction, without waking the in-process notifier: here the simulation is the notifier.
          const result = await withService(sql, (tx) => ingestReportIn(tx, { workspaceId: report.workspaceId, report: reportSchema.parse(report.body), now: new Date(at) }));
          queued ||= result.alertQueued;
        }
        for (const agent of agents) {
          for (let finished = await agent.finishNext(at); finished !== null; finished = await agent.finishNext(at)) queued ||= finished;
        }
        if (queued) await deliver(at);
      }
      await retriesBefore(tick);
      const now = new Date(tick);
      // An agent heard from (or, while down, its silence on the simulated clock) before the tick reads it.
      let agentNews = false;
      for (const agent of agents) agentNews = (await agent.beforeTick(tick)) || agentNews;
      if (agentNews) await deliver(tick);
      // The tick's steps that matter here, in its order (runScheduleTick). Jobboard's outages are
      // read from the gaps between its heartbeats, as the tick does, where a scenario has any.
      const gaps = outages.length > 0 ? await outagesUntil(sql, now) : [];
      const offline = agents.length > 0 ? await markOfflineAgents(sql) : 0;
      if (agents.length > 0) {
        await enqueueDueRuns(sql, now);
        for (const agent of agents) await agent.claim(tick);
      }
      const missed = await markMissedJobs(sql, now, gaps);
      const timedOut = await timeOutStuckRuns(sql, now, gaps);
      let lost = 0;
      for (const agent of agents) lost += await agent.expireLeases();
      // Only a scenario with maintenance windows has held alerts to release: the rest save the query.
      const released = holds ? await releaseHeldAlerts(sql, now) : 0;
      if (outages.length > 0) await recordTickHeartbeat(sql, { at: now, runner: "in-process", durationMs: 0 });
      // The tick's sweep, when the tick queued or released something: otherwise it would find
      // nothing the deliveries after each commit and each retry left behind.
      if (missed.length > 0 || timedOut.length > 0 || released > 0 || offline > 0 || lost > 0 || retryAt === tick) await deliver(tick);
      ticks++;
      if (options.log && ticks % 1440 === 0) options.log(`day ${ticks / 1440}: ${nextReport} reports, ${delivered.length} alerts told`);
    }

    const [left] = await withService(sql, (tx) => tx<{ count: number }[]>`
      select count(*)::int as count from alerts where status in ('pending', 'failed')`);
    const folded: Delivered[] = [];
    for (const row of await withService(sql, (tx) => tx<{ workspace_id: string; job_id: string; kind: string; status: string | null }[]>`
      select workspace_id, job_id, kind, detail->>'status' as status from alerts where status = 'folded'`)) {
      const space = spaceOf.get(row.workspace_id)!;
      const kind = kindOf(row);
      if (kind) folded.push({ workspace: space.index, jobKey: space.keyOf.get(row.job_id) ?? row.job_id, kind, at: 0 });
    }
    return {
      scenario: scenario.name,
      about: scenario.about,
      jobs: jobCount,
      slots,
      reports: reports.length,
      ticks,
      refused: slack.refused(),
      undelivered: left?.count ?? 0,
      ...judge(wanted, delivered, { to, slackOutages: scenario.slackOutages ?? [], jobboardOutages: outages, folded }),
      elapsedMs: Date.now() - began,
    };
  } finally {
    await slack.close();
  }
}
