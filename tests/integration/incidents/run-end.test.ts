import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentToken } from "@/server/agents/admin";
import type { AuthenticatedAgent } from "@/server/agents/authenticate";
import { claimAgentRuns, expireAgentLeases, finishAgentRun, recordHeartbeat } from "@/server/agents/service";
import { withService } from "@/server/db/transactions";
import { claimRun, finishRun } from "@/server/execution/store";
import { recordIncident } from "@/server/incidents/transitions";
import { reportSchema } from "@/server/ingest/schemas";
import { ingestReportIn } from "@/server/ingest/service";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { timeOutStuckRuns } from "@/server/schedule/tick";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { asUser, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

// Every way a run ends goes through one decision (private.settle_run_end). The same scenarios run
// through each entry point: a report, an agent's finish, the executor, the tick's timeout, an
// agent's lease running out, and a lost run its agent revives. Each scenario has a job of its own.
const MINUTE = 60_000;
const timing = { leaseSeconds: 60, heartbeatMs: 10_000 };
let db: TestDatabase;
let workspaceId: string;
let owner: TestUser;
let counter = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  workspaceId = (await seedWorkspace(db.sql, owner, "Run ends")).id;
});

afterAll(async () => {
  await db?.close();
});

/** An agent job has an agent of its own, so what one scenario's agent did (or did not) say cannot touch another's. */
type Job = { id: string; key: string; agent: AuthenticatedAgent | null };
type JobKind = "reported" | "task" | "agent";

async function newAgent(name: string): Promise<AuthenticatedAgent> {
  const created = await asUser(db.sql, owner, (tx) => createAgentToken(tx, { workspaceId, name, actor: { userId: owner.id, email: owner.email } }));
  return { id: created.id, workspace_id: workspaceId, name, host: name, labels: [], max_concurrency: 50, drained: false };
}

async function newJob(kind: JobKind, settings: { failures?: number; successes?: number } = {}): Promise<Job> {
  const key = `job-${counter++}`;
  const agent = kind === "agent" ? await newAgent(`host-of-${key}`) : null;
  const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, task_name, agent_id, timeout_seconds, failure_threshold, recovery_threshold)
    values (${workspaceId}, ${key}, ${key}, ${kind}, ${kind === "task" ? "fail-on-demand" : null}, ${agent?.id ?? null},
            60, ${settings.failures ?? 1}, ${settings.successes ?? 1})
    returning id`);
  return { id: job!.id, key, agent };
}

async function queuedRun(job: Job): Promise<string> {
  const [run] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, trigger) values (${workspaceId}, ${job.id}, 'manual') returning id`);
  return run!.id;
}

/** A run of an agent job, claimed by the agent and running. */
async function agentRun(job: Job): Promise<string> {
  const runId = await queuedRun(job);
  const claimed = await withService(db.sql, (tx) => claimAgentRuns(tx, job.agent!, 1, timing));
  expect(claimed.map((run) => run.run_id)).toEqual([runId]);
  return runId;
}

async function report(job: Job, status: "success" | "error", finishedAt = new Date()) {
  const parsed = reportSchema.parse({ job_key: job.key, status, finished_at: finishedAt.toISOString(), message: status });
  await withService(db.sql, (tx) => ingestReportIn(tx, { workspaceId, report: parsed }));
}

async function agentFinish(job: Job, isSuccess: boolean) {
  const runId = await agentRun(job);
  await withService(db.sql, (tx) => finishAgentRun(tx, job.agent!, { run_id: runId, exit_code: isSuccess ? 0 : 3, finished_at: new Date() }, timing));
}

async function executorEnd(job: Job, isSuccess: boolean) {
  const claim = await claimRun(db.sql, await queuedRun(job));
  if (claim.kind !== "claimed") throw new Error(`not claimed: ${claim.kind}`);
  await finishRun(db.sql, claim.run, {
    status: isSuccess ? "succeeded" : "failed", exitCode: isSuccess ? 0 : 1, message: isSuccess ? "done" : "failed", log: null, stderr: null, isRetryable: false,
  });
}

async function timeOut(job: Job) {
  await withService(db.sql, (tx) => tx`
    insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at)
    values (${workspaceId}, ${job.id}, 'running', 'report', now() - interval '5 minutes', now() - interval '5 minutes')`);
  await timeOutStuckRuns(db.sql, new Date());
}

/** The agent's lease on a run of `job` runs out; answers the run, which is now lost. */
async function loseLease(job: Job): Promise<string> {
  const runId = await agentRun(job);
  await withService(db.sql, async (tx) => {
    await tx`update runs set lease_expires_at = now() - interval '1 second' where id = ${runId}`;
    await expireAgentLeases(tx, workspaceId);
  });
  return runId;
}

async function revive(job: Job, runId: string) {
  await withService(db.sql, (tx) => recordHeartbeat(tx, job.agent!, { runs: [{ run_id: runId }] }, timing));
}

type Entry = {
  name: string;
  kind: JobKind;
  /** The incident kind its failing end opens. */
  failsAs: "failed" | "timed_out" | "lost";
  fail: (job: Job) => Promise<void>;
  /** Ends a run well through this entry; absent where the entry only ever ends runs badly. */
  succeed?: (job: Job) => Promise<void>;
};

// A revival is a success of a kind: the run lost by its lease comes back. It resolves the
// incident that loss opened.
let lastLost: string | null = null;

const entries: Entry[] = [
  {
    name: "a report", kind: "reported", failsAs: "failed",
    fail: (job) => report(job, "error"), succeed: (job) => report(job, "success"),
  },
  {
    name: "an agent's finish", kind: "agent", failsAs: "failed",
    fail: (job) => agentFinish(job, false), succeed: (job) => agentFinish(job, true),
  },
  { name: "the executor", kind: "task", failsAs: "failed", fail: (job) => executorEnd(job, false), succeed: (job) => executorEnd(job, true) },
  { name: "the tick's timeout", kind: "reported", failsAs: "timed_out", fail: timeOut },
  { name: "a lease running out", kind: "agent", failsAs: "lost", fail: async (job) => void (await loseLease(job)) },
  {
    name: "a revival", kind: "agent", failsAs: "lost",
    fail: async (job) => void (lastLost = await loseLease(job)),
    succeed: async (job) => revive(job, lastLost!),
  },
];

async function incidentsOf(job: Job) {
  return db.sql<{ kind: string; failure_count: number; is_open: boolean }[]>`
    select kind, failure_count, resolved_at is null as is_open from incidents where job_id = ${job.id} order by opened_at, id`;
}

async function alertsOf(job: Job) {
  return db.sql<{ kind: string; status: string }[]>`select kind, status from alerts where job_id = ${job.id} order by created_at, id`;
}

describe.each(entries)("a run ended by $name", (entry) => {
  it("opens an incident only at the job's failure threshold, with one alert", async () => {
    const job = await newJob(entry.kind, { failures: 2 });
    await entry.fail(job);
    expect(await incidentsOf(job)).toEqual([]);
    expect(await alertsOf(job)).toEqual([]);
    await entry.fail(job);
    expect(await incidentsOf(job)).toEqual([{ kind: entry.failsAs, failure_count: 1, is_open: true }]);
    expect(await alertsOf(job)).toEqual([{ kind: "failure", status: "pending" }]);
    await entry.fail(job);
    expect(await incidentsOf(job)).toEqual([{ kind: entry.failsAs, failure_count: 2, is_open: true }]);
    expect(await alertsOf(job)).toHaveLength(1);
  });

  it("resolves at the job's recovery threshold, with one recovery alert", async () => {
    const job = await newJob(entry.kind, { successes: 2 });
    await entry.fail(job);
    expect(await incidentsOf(job)).toMatchObject([{ is_open: true }]);
    if (!entry.succeed) return;
    await entry.succeed(job);
    if (entry.name === "a revival") {
      // The loss was not real: the incident it opened goes at once, whatever the threshold.
      expect(await incidentsOf(job)).toMatchObject([{ is_open: false }]);
    } else {
      expect(await incidentsOf(job)).toMatchObject([{ is_open: true }]);
      await entry.succeed(job);
      expect(await incidentsOf(job)).toMatchObject([{ is_open: false }]);
    }
    expect(await alertsOf(job)).toEqual([{ kind: "failure", status: "pending" }, { kind: "recovery", status: "pending" }]);
  });

  it("treats a stalled incident alike with a recovery threshold of 2: a success resolves it, a failure adds to it", async () => {
    const job = await newJob(entry.kind, { successes: 2 });
    await withService(db.sql, (tx) => recordIncident(tx, { workspaceId, jobId: job.id, kind: "stalled", runId: null, at: new Date(Date.now() - MINUTE), message: "No progress for 10 minutes" }));
    if (entry.succeed && entry.name !== "a revival") {
      await entry.succeed(job);
      expect(await incidentsOf(job)).toEqual([{ kind: "stalled", failure_count: 1, is_open: false }]);
      expect(await alertsOf(job)).toEqual([{ kind: "recovery", status: "pending" }]);
    } else {
      await entry.fail(job);
      expect(await incidentsOf(job)).toEqual([{ kind: "stalled", failure_count: 2, is_open: true }]);
      expect(await alertsOf(job)).toEqual([]);
    }
  });

  it("inside the job's maintenance window: holds the failure, and drops the recovery of what nobody heard of", async () => {
    const job = await newJob(entry.kind);
    await withService(db.sql, (tx) => tx`
      insert into maintenance_windows (workspace_id, job_id, title, starts_at, ends_at)
      values (${workspaceId}, ${job.id}, 'Disk swap', now() - interval '1 hour', now() + interval '1 hour')`);
    await entry.fail(job);
    await deliverPendingAlerts(db.sql);
    expect(await alertsOf(job)).toEqual([{ kind: "failure", status: "held" }]);
    if (!entry.succeed) return;
    await entry.succeed(job);
    await deliverPendingAlerts(db.sql);
    expect(await alertsOf(job)).toEqual([{ kind: "failure", status: "held" }, { kind: "recovery", status: "suppressed" }]);
  });
});

describe("a late report", () => {
  it("resolves no incident that opened after its run finished, and a missed one whose slot it covers", async () => {
    const job = await newJob("reported");
    await report(job, "error");
    await report(job, "success", new Date(Date.now() - 10 * MINUTE));
    expect(await incidentsOf(job)).toEqual([{ kind: "failed", failure_count: 1, is_open: true }]);
    expect(await alertsOf(job)).toEqual([{ kind: "failure", status: "pending" }]);
    await report(job, "success");
    expect(await incidentsOf(job)).toMatchObject([{ is_open: false }]);

    const missed = await newJob("reported");
    await withService(db.sql, (tx) => recordIncident(tx, {
      workspaceId, jobId: missed.id, kind: "missed", runId: null, at: new Date(), message: "No run", missedSince: new Date(Date.now() - 20 * MINUTE),
    }));
    // Spooled through an outage: it ran in the slot's window, and says so with its real times.
    await report(missed, "success", new Date(Date.now() - 10 * MINUTE));
    expect(await incidentsOf(missed)).toEqual([{ kind: "missed", failure_count: 1, is_open: false }]);
    expect(await alertsOf(missed)).toEqual([{ kind: "recovery", status: "pending" }]);
  });
});

describe("a job's notify policy, on every run end", () => {
  it("tells every run under every_run, and nothing under never, while incidents still open and resolve", async () => {
    const chatty = await newJob("reported");
    const quiet = await newJob("task");
    await withService(db.sql, (tx) => tx`update jobs set notify_policy = case when id = ${chatty.id} then 'every_run' else 'never' end where id in (${chatty.id}, ${quiet.id})`);
    await report(chatty, "error");
    await report(chatty, "error");
    await report(chatty, "success");
    await report(chatty, "success");
    expect((await alertsOf(chatty)).map((alert) => alert.kind)).toEqual(["failure", "failure", "recovery", "success"]);
    await executorEnd(quiet, false);
    await executorEnd(quiet, true);
    expect(await alertsOf(quiet)).toEqual([]);
    expect(await incidentsOf(quiet)).toMatchObject([{ kind: "failed", is_open: false }]);
  });
});
