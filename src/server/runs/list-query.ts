import { z } from "zod";
import { RUN_STATUSES, RUN_TRIGGERS } from "../jobs/health";

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
  before: z.string().max(500).optional().catch(undefined),
});

export const runCursorSchema = z.object({ queuedAt: z.iso.datetime(), id: z.uuid() });
