import { isBrokenPooledConnection } from "../db/errors";
import type { Db, Sql } from "../db/sql";

/** Who sends a report, as private.ingest_reports authenticates it. */
export type IngestSender =
  | { key: { prefix: string; hash: string } }
  /** The shared webhook secret, already checked: its workspace by slug, or the first one made. */
  | { workspace: { slug: string | null } }
  /** Jobboard's own records, for a workspace it has already established. */
  | { workspace_id: string };

export type IngestItem = {
  auth: IngestSender;
  /** Validated and cut to the limits; null to authenticate only (the body was refused). */
  report: Record<string, unknown> | null;
  now: string;
  max_reported_jobs: number;
  from_jobboard?: boolean;
};

export type IngestOutcome =
  | { workspace_id: string; workspace_slug: string; job_id: string; run_id: string; duplicate: boolean; alert_queued: boolean }
  /** Authenticated, nothing recorded (an item without a report). */
  | { workspace_id: string; workspace_slug: string }
  | { refused: 401 | 403 | 500; error: string }
  | { rejected: 403 | 409; error: string; field: string | null }
  | { retry: true }
  | { failed: string; error: string };

/**
 * One round trip: every item recorded (or refused) on its own, answered in order. A run a
 * duration rule judged has an alert its report's outcome does not know of (a trigger wrote it):
 * the database answers it as queued too, so the notifier wakes for it.
 */
export async function callIngestReports(db: Db, items: IngestItem[]): Promise<IngestOutcome[]> {
  const [row] = await db<{ outcomes: IngestOutcome[] }[]>`select private.ingest_reports(${db.json(items as never)}) as outcomes`;
  return row!.outcomes;
}

type Waiting = { item: IngestItem; attempts: number; resent?: boolean; resolve: (outcome: IngestOutcome) => void; reject: (error: unknown) => void };

/**
 * Reports in one group at most: a group holds its rows' locks until it commits, and its reports
 * (up to 128 KiB of output each) travel as one parameter.
 */
const GROUP_SIZE = 128;
/** A report that deadlocked with another group goes again, alone, this many times. */
const ATTEMPTS = 3;

const jobKeyOf = (item: IngestItem) => String(item.report?.job_key ?? "");
const senderOf = (item: IngestItem) => JSON.stringify(item.auth);

/**
 * Groups concurrent reports into one call to the database, the way a database groups commits:
 * a report that arrives while every slot is busy waits for the next call and shares it with the
 * others that came meanwhile. Alone, a report goes at once, so quiet times add no delay. Each
 * report stays all-or-nothing inside the call.
 */
export class ReportGroups {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly sql: Sql,
    private readonly slots: number,
  ) {}

  submit(item: IngestItem): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, attempts: 0, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.slots && this.waiting.length > 0) {
      const group = this.waiting.splice(0, GROUP_SIZE);
      this.inFlight += 1;
      void this.send(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async send(group: Waiting[]): Promise<void> {
    // The same order in every group, so two groups never wait on each other's job rows.
    group.sort((a, b) => compare(jobKeyOf(a.item), jobKeyOf(b.item)) || compare(senderOf(a.item), senderOf(b.item)));
    let outcomes: IngestOutcome[];
    try {
      outcomes = await callIngestReports(this.sql, group.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of group) {
        // A pooled connection that died while idle fails the first statement sent on it. A report
        // with a run_id is sent once more, on another connection: if the first call did land, the
        // second finds its run and changes nothing. One without a run_id could count twice.
        if (isBrokenPooledConnection(error) && !waiting.resent && waiting.item.report?.run_id != null) {
          this.waiting.push({ ...waiting, resent: true });
        } else {
          waiting.reject(error);
        }
      }
      return;
    }
    group.forEach((waiting, index) => {
      const outcome = outcomes[index]!;
      if ("retry" in outcome && waiting.attempts + 1 < ATTEMPTS) {
        this.waiting.push({ ...waiting, attempts: waiting.attempts + 1 });
      } else {
        waiting.resolve(outcome);
      }
    });
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const groupsByPool = new WeakMap<Sql, ReportGroups>();

/**
 * Groups in flight at once: as many as a small database has cores. More only wait on each
 * other's locks: on two cores, four groups of 64 recorded about 900 reports a second with a p99
 * of 170–300 ms, two groups of 128 about 1,200 with a p99 of 140–170 ms (bench/ingest's direct path).
 */
const GROUPS_IN_FLIGHT = 2;

/**
 * The pool's report groups. Half the pool at most may be recording reports at once, so pages
 * and background work always find a connection.
 */
export function reportGroups(sql: Sql): ReportGroups {
  let groups = groupsByPool.get(sql);
  if (!groups) {
    const poolSize = Number((sql.options as { max?: number }).max ?? 1);
    groups = new ReportGroups(sql, Math.max(1, Math.min(GROUPS_IN_FLIGHT, Math.floor(poolSize / 2))));
    groupsByPool.set(sql, groups);
  }
  return groups;
}
