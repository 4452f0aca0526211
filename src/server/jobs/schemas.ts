import { z } from "zod";
import { decodeCursor, timeKeyset } from "../db/page";
import { JOB_HEALTH, JOB_KINDS } from "./health";

const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);

/** What listJobs' `after` holds for each sort: the sort's own column, then the id. */
export const jobKeysets = {
  title: z.tuple([z.string(), z.uuid()]),
  newest: timeKeyset,
};

/**
 * The jobs page's query string; anything unreadable falls back to "no filter". The cursor is
 * read by the page's sort: a title is no place in the newest-first order, so it means page one.
 */
export const jobListQuerySchema = z
  .object({
    q: z.preprocess(blankIsUnset, z.string().trim().max(100).optional()).catch(undefined),
    health: z.preprocess(blankIsUnset, z.enum(JOB_HEALTH).optional()).catch(undefined),
    kind: z.preprocess(blankIsUnset, z.enum(JOB_KINDS).optional()).catch(undefined),
    tag: z.preprocess(blankIsUnset, z.string().max(50).optional()).catch(undefined),
    sort: z.enum(["title", "newest"]).catch("title"),
    after: z.string().optional().catch(undefined),
  })
  .transform(({ after, ...query }) => ({ ...query, after: decodeCursor(after, jobKeysets[query.sort]) }));
