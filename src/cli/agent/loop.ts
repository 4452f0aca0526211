import { arch, hostname, loadavg, platform } from "node:os";
import { formatDuration } from "../duration";
import { type HubAnswer, endpointUrl, postJson } from "../http";
import { type HubTarget, deliver } from "../hub";
import { AGENT_FINISH_PATH, replaySpool } from "../spool";
import { VERSION } from "../version";
import type { AgentConfig } from "./config";
import type { Env } from "./params-env";
import { ActiveRun, type ClaimedRun, type FinishBody, HEARTBEAT_TAIL_BYTES, refusedFinish } from "./run";

/**
 * `jobboard agent`: register, then heartbeat and long-poll claim side by side, run what is
 * claimed, finish it (or spool the finish). Network failures and 5xx are retried with backoff
 * and never end the loop; only a refused token (exit 3) or SIGINT/SIGTERM (exit 0) do.
 */

export type AgentLoopOptions = HubTarget & {
  config: AgentConfig;
  token: string;
  /** One line per event, to stdout. */
  log: (line: string) => void;
  /** The environment commands start from (the agent's own). */
  baseEnv?: Env;
  /** Install SIGINT/SIGTERM handlers (off in tests that drive stop() themselves). */
  handleSignals?: boolean;
};

export const EXIT_STOPPED = 0;
export const EXIT_FAILED = 1;
export const EXIT_TOKEN_REFUSED = 3;

const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 1000;
/** A claim that comes back empty faster than this waits out the rest, so a hub that does not long-poll is not hammered. */
const MIN_CLAIM_INTERVAL_MS = 1000;
/** All the tails of one heartbeat together; the hub takes bodies up to 512 KiB. */
const HEARTBEAT_TAILS_BUDGET = 256 * 1024;

type Registration = { heartbeatMs: number; maxWaitMs: number; name: string; drained: boolean };

class TokenRefused extends Error {}
class RegisterRefused extends Error {}

/** Resolves sleepers early: a finished run frees a slot, a drain ends, the agent stops. */
class Wakeup {
  private waiters = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`;

function nextBackoff(current: number, answer: HubAnswer): { wait: number; next: number } {
  const retryAfter = answer.kind === "unavailable" ? (answer.retryAfterMs ?? 0) : 0;
  return { wait: Math.min(MAX_BACKOFF_MS, Math.max(current, retryAfter)), next: Math.min(MAX_BACKOFF_MS, current * 2) };
}

function asNumber(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The runs of a claim answer that can be acted on; anything without a run id cannot even be finished. */
export function readClaimedRuns(body: unknown): { runs: ClaimedRun[]; drained: boolean | null; skipped: number } {
  const record = (body ?? {}) as { runs?: unknown; drained?: unknown };
  const list = Array.isArray(record.runs) ? record.runs : [];
  const runs: ClaimedRun[] = [];
  let skipped = 0;
  for (const item of list) {
    const run = (item ?? {}) as Record<string, unknown>;
    if (typeof run.run_id !== "string" || !run.run_id || typeof run.job_key !== "string") {
      skipped++;
      continue;
    }
    const params = run.params && typeof run.params === "object" && !Array.isArray(run.params) ? (run.params as Record<string, unknown>) : {};
    const timeout = typeof run.timeout_seconds === "number" && run.timeout_seconds > 0 ? run.timeout_seconds : null;
    runs.push({ run_id: run.run_id, job_key: run.job_key, params, timeout_seconds: timeout });
  }
  return { runs, drained: typeof record.drained === "boolean" ? record.drained : null, skipped };
}

export class Agent {
  private readonly running = new Map<string, ActiveRun>();
  private readonly finishing = new Set<Promise<void>>();
  private readonly stopController = new AbortController();
  /** Woken by a finished run, a drain ending, or the stop. */
  private readonly wakeup = new Wakeup();
  /** Woken only by the stop: the heartbeat keeps its own pace. */
  private readonly stopWakeup = new Wakeup();
  private registration: Registration | null = null;
  private needsRegister = true;
  private drained = false;
  private stopCount = 0;
  private fatal: { code: number; message: string } | null = null;
  /** The heartbeat loop, started by the first registration. */
  private heartbeats: Promise<void> | null = null;
  /** Finishes wait in the spool: replayed after each heartbeat the hub takes, until none is left. */
  private isSpoolWaiting = true;
  private replaying: Promise<void> | null = null;

  constructor(private readonly options: AgentLoopOptions) {}

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private log(line: string): void {
    this.options.log(line);
  }

  /** Runs until stopped; resolves to the exit status. */
  async run(): Promise<number> {
    const onSignal = (signal: NodeJS.Signals) => this.stop(`received ${signal}`);
    if (this.options.handleSignals !== false) {
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    }
    try {
      await this.replay();
      await this.claimLoop();
      this.stop("the loop ended");
      await this.heartbeats;
      await this.settle();
    } finally {
      if (this.options.handleSignals !== false) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }
    if (this.fatal) {
      process.stderr.write(`jobboard agent: ${this.fatal.message}\n`);
      return this.fatal.code;
    }
    return EXIT_STOPPED;
  }

  /**
   * Stops claiming and ends every running command's tree; their finishes say "the agent was
   * stopped". A second call (Ctrl+C again) kills what is left at once.
   */
  stop(reason: string): void {
    this.stopCount++;
    if (this.stopCount === 1) {
      if (reason !== "the loop ended") {
        const what = this.running.size ? `; stopping ${this.running.size} running command(s)` : "";
        this.log(`stopping (${reason})${what}`);
      }
      this.stopController.abort();
      this.wakeup.notify();
      this.stopWakeup.notify();
      for (const run of this.running.values()) run.stop("stopped");
    } else if (reason !== "the loop ended") {
      this.log(`stopping now (${reason}): killing what is left`);
      for (const run of this.running.values()) run.stop("stopped", true);
    }
  }

  private sleep(ms: number, wakeup: Wakeup = this.wakeup): Promise<void> {
    return this.stopping ? Promise.resolve() : wakeup.wait(ms);
  }

  private async call(endpoint: string, body: unknown, timeoutMs: number): Promise<HubAnswer> {
    const answer = await postJson(endpointUrl(this.options.hubUrl, endpoint), body, {
      token: this.options.token,
      timeoutMs,
      signal: this.stopController.signal,
    });
    if (answer.kind === "refused" && answer.status === 401) {
      throw new TokenRefused(`the hub refused this agent's token (unknown or revoked): ${answer.hubError || `HTTP ${answer.status}`}`);
    }
    return answer;
  }

  /** A refused token ends the agent (exit 3): nothing it sends would be taken. */
  private failWith(error: unknown): void {
    if (error instanceof TokenRefused) this.fatal ??= { code: EXIT_TOKEN_REFUSED, message: error.message };
    else if (error instanceof RegisterRefused) this.fatal ??= { code: EXIT_FAILED, message: error.message };
    else this.fatal ??= { code: EXIT_FAILED, message: `unexpected error: ${(error as Error).stack ?? String(error)}` };
    if (!this.stopping) this.stop(error instanceof TokenRefused ? "the hub refused the token" : "a fatal error");
  }

  /** One replay at a time: the claim loop's after registering, or the heartbeat's. */
  private replay(): Promise<void> {
    this.replaying ??= this.replayOnce().finally(() => (this.replaying = null));
    return this.replaying;
  }

  private async replayOnce(): Promise<void> {
    try {
      const result = await replaySpool({
        dir: this.options.spoolDir,
        hubUrl: this.options.hubUrl,
        tokens: [this.options.token],
        requestTimeoutMs: Math.max(this.options.hubTimeoutMs, 10_000),
        warn: (text) => this.log(text),
        signal: this.stopController.signal,
      });
      this.isSpoolWaiting = result.remaining > 0;
      if (result.sent) this.log(`sent ${result.sent} spooled finish(es)`);
      if (result.remaining) this.log(`${result.remaining} spooled finish(es) still waiting (${result.problem ?? "stopped"})`);
    } catch (error) {
      this.isSpoolWaiting = true;
      this.log(`could not read the spool in ${this.options.spoolDir} (${(error as Error).message})`);
    }
  }

  private registerBody() {
    const { config } = this.options;
    return {
      host: hostname(),
      os: `${platform()} ${arch()}`,
      version: VERSION,
      max_concurrency: config.maxConcurrency,
      labels: config.labels,
      jobs: Object.entries(config.jobs).map(([jobKey, job]) => ({ job_key: jobKey, title: job.title ?? jobKey })),
    };
  }

  /** Registers, retrying network failures and 5xx with backoff; false when the agent stopped first. */
  private async register(): Promise<boolean> {
    let backoff = FIRST_BACKOFF_MS;
    const isAgain = this.registration !== null;
    while (!this.stopping) {
      const answer = await this.call("/api/agent/register", this.registerBody(), 15_000);
      if (this.stopping) return false;
      if (answer.kind === "ok") {
        const body = (answer.body ?? {}) as { agent?: { name?: unknown; drained?: unknown }; heartbeat_ms?: unknown; max_wait_ms?: unknown };
        this.registration = {
          heartbeatMs: asNumber(body.heartbeat_ms, 3000),
          maxWaitMs: asNumber(body.max_wait_ms, 25_000),
          name: typeof body.agent?.name === "string" ? body.agent.name : hostname(),
          drained: body.agent?.drained === true,
        };
        this.setDrained(this.registration.drained, false);
        const jobs = Object.keys(this.options.config.jobs).length;
        this.log(
          `${isAgain ? "registered again" : "registered"} with ${this.options.hubUrl} as ${this.registration.name}: ` +
            `${jobs} job${jobs === 1 ? "" : "s"}, up to ${this.options.config.maxConcurrency} at a time${this.drained ? ", drained" : ""}`,
        );
        return true;
      }
      if (answer.kind === "refused") throw new RegisterRefused(`the hub refused to register this agent: ${answer.error}`);
      const { wait, next } = nextBackoff(backoff, answer);
      this.log(`hub unreachable (${answer.error}); retrying register in ${seconds(wait)}`);
      backoff = next;
      await this.sleep(wait);
    }
    return false;
  }

  private setDrained(drained: boolean, shouldLog = true): void {
    if (drained === this.drained) return;
    this.drained = drained;
    if (shouldLog) this.log(drained ? "drained on the hub: taking no new runs" : "no longer drained: taking runs again");
    this.wakeup.notify();
  }

  private async heartbeatLoop(): Promise<void> {
    let backoff = 0;
    while (!this.stopping) {
      const interval = this.registration?.heartbeatMs ?? 3000;
      await this.sleep(backoff || interval, this.stopWakeup);
      if (this.stopping) break;
      try {
        const active = [...this.running.values()];
        // Many runs at once share a budget, so the heartbeat stays within the hub's body limit.
        const perStream = Math.min(HEARTBEAT_TAIL_BYTES, Math.floor(HEARTBEAT_TAILS_BUDGET / Math.max(1, active.length * 2)));
        const runs = active.map((run) => ({ run_id: run.runId, ...run.tails(perStream) }));
        const load = Math.round((loadavg()[0] ?? 0) * 100) / 100;
        const answer = await this.call("/api/agent/heartbeat", { load, runs }, Math.max(10_000, interval * 3));
        if (this.stopping) break;
        if (answer.kind === "ok") {
          backoff = 0;
          const body = (answer.body ?? {}) as { cancel?: unknown; drained?: unknown };
          if (Array.isArray(body.cancel)) {
            for (const runId of body.cancel) {
              const run = typeof runId === "string" ? this.running.get(runId) : undefined;
              if (run) {
                this.log(`run ${run.runId} canceled on the hub; stopping it`);
                run.stop("cancel");
              }
            }
          }
          if (typeof body.drained === "boolean") this.setDrained(body.drained);
          // A finish spooled in a blip the claim loop never saw, or a replay cut short, goes now.
          if (this.isSpoolWaiting) this.track(this.replay());
        } else if (answer.kind === "unavailable") {
          this.needsRegister = true;
          backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : Math.max(FIRST_BACKOFF_MS, interval));
          this.log(`heartbeat failed: hub unreachable (${answer.error}); retrying in ${seconds(backoff)}`);
        } else {
          backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : Math.max(FIRST_BACKOFF_MS, interval));
          this.log(`the hub refused the heartbeat (${answer.error}); retrying in ${seconds(backoff)}`);
        }
      } catch (error) {
        this.failWith(error);
      }
    }
  }

  private async claimLoop(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    while (!this.stopping) {
      try {
        if (this.needsRegister) {
          if (!(await this.register())) return;
          this.needsRegister = false;
          this.heartbeats ??= this.heartbeatLoop();
          await this.replay();
          continue;
        }
        const registration = this.registration!;
        if (this.drained) {
          await this.sleep(registration.heartbeatMs);
          continue;
        }
        const capacity = this.options.config.maxConcurrency - this.running.size;
        if (capacity <= 0) {
          await this.sleep(registration.heartbeatMs);
          continue;
        }
        const began = Date.now();
        const answer = await this.call("/api/agent/claim", { capacity, wait_ms: registration.maxWaitMs }, registration.maxWaitMs + 15_000);
        if (answer.kind === "ok") {
          backoff = FIRST_BACKOFF_MS;
          const { runs, drained, skipped } = readClaimedRuns(answer.body);
          if (skipped) this.log(`the hub sent ${skipped} run(s) without a run id or job key; ignored`);
          for (const run of runs) this.begin(run);
          if (drained !== null) this.setDrained(drained);
          if (runs.length === 0 && Date.now() - began < MIN_CLAIM_INTERVAL_MS) await this.sleep(MIN_CLAIM_INTERVAL_MS - (Date.now() - began));
          continue;
        }
        if (this.stopping) return;
        const { wait, next } = nextBackoff(backoff, answer);
        backoff = next;
        if (answer.kind === "unavailable") {
          this.needsRegister = true;
          this.log(`hub unreachable (${answer.error}); retrying in ${seconds(wait)}`);
        } else {
          this.log(`the hub refused the claim (${answer.error}); retrying in ${seconds(wait)}`);
        }
        await this.sleep(wait);
      } catch (error) {
        this.failWith(error);
        return;
      }
    }
  }

  /** Starts a claimed run, or finishes it at once when this agent cannot run it. */
  private begin(claimed: ClaimedRun): void {
    const job = this.options.config.jobs[claimed.job_key];
    if (!Object.hasOwn(this.options.config.jobs, claimed.job_key) || !job) {
      const error = `job key ${claimed.job_key} is not declared in this agent's config`;
      this.log(`claimed run ${claimed.run_id} of ${claimed.job_key}, which this config does not declare; failing it`);
      this.track(this.finish(refusedFinish(claimed.run_id, error)));
      return;
    }
    if (this.stopping) {
      this.track(this.finish(refusedFinish(claimed.run_id, "the agent was stopped")));
      return;
    }
    const run = new ActiveRun(claimed, job, {
      hubUrl: this.options.hubUrl,
      killGraceMs: this.options.config.killGraceMs,
      baseEnv: this.options.baseEnv ?? process.env,
    });
    this.running.set(run.runId, run);
    this.log(`claimed run ${run.runId} of ${run.jobKey}: ${job.command.join(" ")}`);
    this.track(
      run.done
        .catch((error: unknown) => refusedFinish(run.runId, `the agent could not run the command: ${(error as Error).message}`))
        .then((body) => {
          this.running.delete(run.runId);
          this.wakeup.notify();
          return this.finish(body);
        }),
    );
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.failWith(error)).finally(() => this.finishing.delete(tracked));
    this.finishing.add(tracked);
  }

  /** Sends a finish, tried briefly; when the hub cannot take it now it waits in the spool. */
  private async finish(body: FinishBody): Promise<void> {
    const delivery = await deliver(
      { hubUrl: this.options.hubUrl, token: this.options.token, hubTimeoutMs: this.options.hubTimeoutMs, spoolDir: this.options.spoolDir },
      AGENT_FINISH_PATH,
      body,
    );
    // The message always carries the error, when there is one.
    const summary = `run ${body.run_id} finished: ${body.message}${body.duration_ms ? ` (${formatDuration(body.duration_ms)})` : ""}`;
    switch (delivery.kind) {
      case "delivered": {
        const duplicate = (delivery.body as { duplicate?: unknown } | null)?.duplicate === true;
        this.log(`${summary}${duplicate ? " (the hub already had its finish)" : ""}`);
        return;
      }
      case "spooled":
        this.isSpoolWaiting = true;
        this.log(`${summary}; hub unreachable (${delivery.problem}), finish saved to ${delivery.file}`);
        return;
      case "refused":
        if (delivery.status === 401) throw new TokenRefused(`the hub refused this agent's token (unknown or revoked): ${delivery.problem}`);
        this.log(`${summary}; the hub refused the finish (${delivery.problem})`);
        return;
      case "lost":
        this.log(`${summary}; the finish could not be sent or spooled (${delivery.problem})`);
        return;
    }
  }

  /** Waits for every command to end and every finish to be sent or spooled. */
  private async settle(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing]);
  }
}
