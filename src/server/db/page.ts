import { z } from "zod";
import type { Db } from "./sql";

/** One page of a keyset-ordered list; `nextCursor` is null on the last page. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A row's place in its list's order: the sort column's value, then the id that breaks ties
 * (so rows with equal sort values are neither skipped nor repeated). A timestamp travels as
 * cursorText gives it.
 */
export type Keyset<Id extends string | number = string> = readonly [key: string, id: Id];

/** The keyset of most lists: a time, then a uuid. */
export const timeKeyset = z.tuple([z.iso.datetime(), z.uuid()]);

/** Long enough for a 200-character title even when every character needs escaping. */
export const MAX_CURSOR_LENGTH = 2048;

/** A keyset as an opaque cursor for a URL: base64url JSON. */
export function encodeCursor(keyset: Keyset<string | number>): string {
  return Buffer.from(JSON.stringify(keyset), "utf8").toString("base64url");
}

/** The cursor's keyset, or undefined for a missing, tampered or foreign one. */
export function decodeCursor<K extends Keyset<string | number>>(text: string | undefined, shape: z.ZodType<K>): K | undefined {
  if (!text || text.length > MAX_CURSOR_LENGTH) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A page's cursor in its query string: a cursor that cannot be read means the first page. */
export function cursorParam<K extends Keyset<string | number>>(shape: z.ZodType<K>) {
  // Optional: the first page's URL has no cursor at all.
  return z
    .unknown()
    .transform((value) => (typeof value === "string" ? decodeCursor(value, shape) : undefined))
    .optional();
}

/**
 * A page of `limit` rows. `fetch` is asked for one row more: that row is not shown, it only
 * tells that there is a next page, which starts after the last row kept.
 */
export async function fetchPage<T>(
  limit: number,
  fetch: (take: number) => Promise<T[]>,
  keysetOf: (row: T) => Keyset<string | number>,
): Promise<Page<T>> {
  const rows = await fetch(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keysetOf(last)) : null };
}

/**
 * A timestamp column as ISO text with microseconds, for keysets. Cursors travel as text and
 * are cast back in SQL (`::text::timestamptz`): postgres.js turns a timestamptz parameter into a
 * JS Date, which keeps only milliseconds, and rows within that millisecond would be skipped.
 */
export function cursorText(db: Db, column: string) {
  return db`to_char(${db(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
