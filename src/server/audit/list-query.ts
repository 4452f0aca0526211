import { z } from "zod";
import { cursorParam } from "../db/page";

const blankIsUnset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const text = (max: number) => z.preprocess(blankIsUnset, z.string().trim().max(max).optional()).catch(undefined);

/** The audit page's query string; anything unreadable falls back to "no filter". */
export const auditListQuerySchema = z.object({
  actor: text(320),
  action: text(100),
  target: text(50),
  target_id: text(200),
  // Where the previous page ended, as listAuditEntries' `after`: entries' ids are bigserial.
  before: cursorParam(z.tuple([z.iso.datetime(), z.number().int().positive()])),
});
