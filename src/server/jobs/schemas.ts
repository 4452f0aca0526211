import { z } from "zod";
import { JOB_HEALTH, JOB_KINDS } from "./health";

const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);

/** The jobs page's query string; anything unreadable falls back to "no filter". */
export const jobListQuerySchema = z.object({
  q: z.preprocess(blankIsUnset, z.string().trim().max(100).optional()).catch(undefined),
  health: z.preprocess(blankIsUnset, z.enum(JOB_HEALTH).optional()).catch(undefined),
  kind: z.preprocess(blankIsUnset, z.enum(JOB_KINDS).optional()).catch(undefined),
  tag: z.preprocess(blankIsUnset, z.string().max(50).optional()).catch(undefined),
  sort: z.enum(["title", "newest"]).catch("title"),
  after: z.string().max(500).optional().catch(undefined),
});

export const jobCursorSchema = z.object({ title: z.string().optional(), createdAt: z.iso.datetime().optional(), id: z.uuid() });
