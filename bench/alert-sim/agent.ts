// The alert simulator's agent host: scheduled jobs bound to one agent, which the tick queues and
// the agent claims, heartbeats and finishes through the agent service, on the simulated clock,
// and which goes down for a while. What Jobboard should say about it is worked out here from
// the documented rules (README, "Agent offline"), not from Jobboard's own code.
//
// The agent service stamps times with the database's now(), which stays at the real date while
// the simulated clock runs through hours in seconds. So the simulation drives that clock by hand,
// as tests/integration/agents/agent-offline.test.ts does: a claimed run's start is set to the
// simulated time; while the agent is down, its last contact and its runs' leases are set to
// "now() minus how long ago that was on the simulated clock"; and a run the tick ends lost gets
// the simulated time its lease ran out, so the success that follows is newer news, as it is.
import type { Sql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import type { AuthenticatedAgent } from "@/server/agents/authenticate";
import { claimAgentRuns, expireAgentLeases, finishAgentRun, recordHeartbeat } from "@/server/agents/service";
import type { Expected, SimJob } from "./model";
import { HOUR, MINUTE, type Span } from "./scenario";

const SECOND = 1000;

/** A slot's run on the agent: how long it takes and whether it fails. */
type Planned = { durationMs: number; fails: boolean };

/** Hourly jobs at minutes 1 to 59, runs of 1 to 15 minutes, 3 % of them failing. */
export function planAgentJobs(count: number, next: () => number): SimJob[] {
  return Array.from({ length: count }, (_, index) => {
    const minute = 1 + Math.floor(next() * 59);
    return {
      key: `agent-${String(index).padStart(3, "0")}`,
      schedule: { cron: `${minute} * * * *`, zone: "UTC", minute, hours: null },
      graceSeconds: 300,
      timeoutSeconds: 3600,
      maxRunSeconds: 900,
      overlaps: false,
    };
  });
}

const tickAfter = (at: number) => Math.floor(at / MINUTE) * MINUTE + MINUTE;

/**
 * What each slot's run does, and the alerts the rules call for. The agent claims a run the minute
 * the tick queues it, except while down: then the tick still queues it (a queued run counts as
 * the slot's run, so nothing is missed) and the agent claims it when back. A run going when the
 * agent dies is lost at the first tick after its lease runs out, the tick that also finds the
 * agent offline; that alert, and the recovery of the incident it opened, fold into the agent's.
 */
export function agentScript(job: SimJob, from: number, to: number, down: Span, leaseMs: number, next: () => number) {
  const minute = "cron" in job.schedule ? job.schedule.minute : 0;
  const runs = new Map<number, Planned>();
  const offlineAt = tickAfter(down.from + leaseMs);
  type Event = { at: number; kind: "success" | "failure" | "lost" };
  const events: Event[] = [];
  let slots = 0;
  for (let hour = Math.floor(from / HOUR) * HOUR; hour < to + 2 * HOUR; hour += HOUR) {
    const slot = hour + minute * MINUTE;
    if (slot <= from) continue;
    if (slot < to) slots++;
    const planned = { durationMs: Math.round((60 + next() * 840) * SECOND), fails: next() < 0.03 };
    runs.set(slot, planned);
    const start = slot >= down.from && slot < down.to ? down.to : slot;
    const end = start + planned.durationMs;
    if (start < down.from && end >= down.from) events.push({ at: offlineAt, kind: "lost" });
    else events.push({ at: end, kind: planned.fails ? "failure" : "success" });
  }
  events.sort((a, b) => a.at - b.at);
  const expected: Expected[] = [];
  let incident = -1;
  let open: { folded: boolean } | null = null;
  for (const event of events) {
    if (event.kind === "success") {
      if (open) expected.push({ jobKey: job.key, kind: "recovered", dueAt: event.at, moment: event.at, incident, ...(open.folded ? { folded: true } : {}) });
      open = null;
    } else if (!open) {
      // A lost run opens its incident while the agent's is open: recorded there, not sent.
      const folded = event.kind === "lost";
      expected.push({ jobKey: job.key, kind: "failed", dueAt: event.at, moment: event.at, incident: ++incident, ...(folded ? { folded: true } : {}) });
      open = { folded };
    }
  }
  return { runs, expected, slots };
}

/** The agent's own alerts: offline once, at the tick that finds it quiet past its lease, and back once. */
export function agentAlerts(down: Span, leaseMs: number, agentName: string): Expected[] {
  return [
    { jobKey: agentName, kind: "agent_down", dueAt: tickAfter(down.from + leaseMs), moment: down.from, incident: 0 },
    { jobKey: agentName, kind: "agent_back", dueAt: down.to, moment: down.to, incident: 0 },
  ];
}

/** The agent's row: registered, seen at the start, with room for every job at once. */
export async function createAgent(sql: Sql, workspaceId: string, name: string): Promise<AuthenticatedAgent> {
  return withService(sql, async (tx) => {
    const prefix = `sim${Math.random().toString(36).slice(2, 12)}`;
    const [agent] = await tx<AuthenticatedAgent[]>`
      insert into agents (workspace_id, name, prefix, secret_hash, host, max_concurrency, registered_at, last_seen_at)
      values (${workspaceId}, ${name}, ${prefix}, 'not a token', ${`${name}-host`}, 64, now(), now())
      returning id, workspace_id, name, host, labels, max_concurrency, drained`;
    return agent!;
  });
}

type Finish = { at: number; runId: string; startedAt: number; fails: boolean };

/**
 * The simulated agent: `beforeTick` (heartbeat while up, the hand-driven clock while down),
 * `claim` after the tick queued runs, `finish` of what comes due, and `expireLeases`, the tick's
 * own step, with the lost runs' times put back on the simulated clock.
 */
export function simulatedAgent(sql: Sql, agent: AuthenticatedAgent, down: Span, leaseMs: number, plans: Map<string, Map<number, Planned>>) {
  const timing = { leaseSeconds: leaseMs / SECOND, heartbeatMs: 10_000 };
  const running = new Map<string, Finish>();
  const finishes: Finish[] = [];
  const isUp = (at: number) => at < down.from || at >= down.to;
  return {
    /** When its next run ends, if it is up then. */
    nextFinishAt: () => finishes[0]?.at ?? Infinity,
    /** Heard from (answers whether that resolved its incident), or, while down, its silence on the simulated clock. */
    beforeTick: async (at: number): Promise<boolean> => {
      if (isUp(at)) {
        const result = await withService(sql, (tx) => recordHeartbeat(tx, agent, { runs: [...running.keys()].map((run_id) => ({ run_id })) }, timing));
        return result.isAlertQueued;
      }
      // Killed at `down.from`: its runs die with it, their finishes never come.
      finishes.length = 0;
      running.clear();
      const quietSeconds = (at - down.from) / SECOND;
      await withService(sql, async (tx) => {
        await tx`update agents set last_seen_at = now() - make_interval(secs => ${quietSeconds}) where id = ${agent.id}`;
        await tx`update runs set lease_expires_at = now() - make_interval(secs => ${quietSeconds - timing.leaseSeconds})
                 where agent_id = ${agent.id} and status = 'running'`;
      });
      return false;
    },
    /** Claims what the tick queued, started at `at`. */
    claim: async (at: number) => {
      if (!isUp(at)) return;
      const claimed = await withService(sql, async (tx) => {
        const runs = await claimAgentRuns(tx, agent, agent.max_concurrency, timing);
        if (runs.length === 0) return [];
        return tx<{ id: string; job_key: string; scheduled_for: Date }[]>`
          update runs r set started_at = ${new Date(at)} from jobs j
          where r.id = any(${runs.map((run) => run.run_id)}::uuid[]) and j.id = r.job_id
          returning r.id, j.job_key, r.scheduled_for`;
      });
      for (const run of claimed) {
        const planned = plans.get(run.job_key)?.get(run.scheduled_for.getTime());
        if (!planned) throw new Error(`the agent claimed ${run.job_key} for ${run.scheduled_for.toISOString()}, which no slot planned`);
        const finish = { at: at + planned.durationMs, runId: run.id, startedAt: at, fails: planned.fails };
        running.set(run.id, finish);
        finishes.push(finish);
      }
      finishes.sort((a, b) => a.at - b.at);
    },
    /** Finishes the next run due by `at`, if any; answers whether it queued an alert. */
    finishNext: async (at: number): Promise<boolean | null> => {
      if (finishes.length === 0 || finishes[0]!.at > at) return null;
      const run = finishes.shift()!;
      // Killed before it ended: the finish never comes, and the run stays running until its lease runs out.
      if (!isUp(run.at)) return false;
      running.delete(run.runId);
      const result = await withService(sql, (tx) => finishAgentRun(tx, agent, {
        run_id: run.runId,
        exit_code: run.fails ? 1 : 0,
        started_at: new Date(run.startedAt),
        finished_at: new Date(run.at),
        duration_ms: run.at - run.startedAt,
      }, timing));
      return result?.alertQueued ?? false;
    },
    /** The tick's lease step; answers how many runs it ended lost. */
    expireLeases: async () => withService(sql, async (tx) => {
      const lost = await expireAgentLeases(tx);
      if (lost === 0) return 0;
      const leaseEnd = new Date(down.from + leaseMs);
      const fixed = await tx<{ id: string }[]>`
        update runs set finished_at = ${leaseEnd}, duration_ms = (extract(epoch from ${leaseEnd}::timestamptz - started_at) * 1000)::bigint
        where agent_id = ${agent.id} and status = 'lost' and finished_at > ${leaseEnd}
        returning id`;
      await tx`update incidents set opened_at = ${leaseEnd} where first_run_id = any(${fixed.map((run) => run.id)}::uuid[])`;
      return lost;
    }),
  };
}

export type SimulatedAgent = ReturnType<typeof simulatedAgent>;
