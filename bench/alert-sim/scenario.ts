// What a scenario of the alert simulator is: when it runs, which workspaces with which jobs, and
// what goes wrong around the jobs (a maintenance window, Slack down). A new scenario is one
// module in scenarios/ returning one of these, listed in scenarios/index.ts.
import type { JobMix } from "./model";
import type { Span } from "./slack";

export type { Span };

/** How big to make a scenario: the month's size from the command line, or the test's. */
export type Size = { jobs: number; days: number; seed: number };

export type WorkspacePlan = {
  name: string;
  jobs: number;
  /** The same seed gives two workspaces the same jobs doing the same things at the same times. */
  seed: number;
  mix?: JobMix;
  /** Whole-workspace maintenance windows: alerts about what happens inside are held, not told. */
  maintenance?: Span[];
  /** Its jobs are scheduled on one agent, which is down (killed, then back) for this span. */
  agentDown?: Span;
};

export type Scenario = {
  name: string;
  /** One line saying what it tries. */
  about: string;
  start: Date;
  hours: number;
  workspaces: WorkspacePlan[];
  /** When the Slack stand-in answers 503. */
  slackOutages?: Span[];
  /**
   * Jobboard's own outages, from its last tick before to its first after (whole minutes): no
   * tick, no delivery, and the scripts' reports spooled, replayed with their real times once back.
   */
  jobboardOutages?: Span[];
  /** How often a slot inside one of them has no run at all (the rest of the time, as usual). */
  missingInOutage?: number;
};

export type ScenarioModule = { name: string; plan: (size: Size) => Scenario };

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
