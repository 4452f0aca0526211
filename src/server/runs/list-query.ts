import { z } from "zod";
import type { Db } from "../db/sql";
import { cursorParam, timeKeyset } from "../db/page";
import { RUN_STATUSES, RUN_TRIGGERS } from "./status";
import { findJobByKeyOrId, type RunFilters } from "./queries";

const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The runs page's query string; anything unreadable falls back to "no filter". */
export const runListQuerySchema = z.object({
  status: z.preprocess(blankIsUnset, z.enum(RUN_STATUSES).optional()).catch(undefined),
  trigger: z.preprocess(blankIsUnset, z.enum(RUN_TRIGGERS).optional()).catch(undefined),
  // A job's key (what scripts report) or its id (links from elsewhere in the app).
  job: z.preprocess(blankIsUnset, z.string().trim().max(200).optional()).catch(undefined),
  from: z.preprocess(blankIsUnset, day.optional()).catch(undefined),
  to: z.preprocess(blankIsUnset, day.optional()).catch(undefined),
  // Where the previous page ended, as listRuns' `after`.
  before: cursorParam(timeKeyset),
});

export type RunListQuery = z.infer<typeof runListQuerySchema>;

/** Midnight of a calendar day in the workspace's timezone, as an instant. */
function startOfDay(day: string, timeZone: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  const inZone = new Date(utcMidnight.toLocaleString("en-US", { timeZone }));
  const asUtc = new Date(utcMidnight.toLocaleString("en-US", { timeZone: "UTC" }));
  return new Date(utcMidnight.getTime() - (inZone.getTime() - asUtc.getTime()));
}

/**
 * The filters a runs query string names, days read on the workspace's clock ("to" includes
 * its whole day). Null when it names a job that does not exist: that matches no runs, rather
 * than silently all of them.
 */
export async function runFiltersFor(
  db: Db,
  p: { workspaceId: string; timezone: string; query: Omit<RunListQuery, "before"> },
): Promise<RunFilters | null> {
  const { query } = p;
  const job = query.job ? await findJobByKeyOrId(db, p.workspaceId, query.job) : undefined;
  if (query.job && !job) return null;
  return {
    workspaceId: p.workspaceId,
    jobId: job?.id,
    status: query.status,
    trigger: query.trigger,
    from: query.from ? startOfDay(query.from, p.timezone) : undefined,
    to: query.to ? new Date(startOfDay(query.to, p.timezone).getTime() + 86_400_000) : undefined,
  };
}
