import type { Db } from "./sql";

/**
 * A timestamp column as ISO text with microseconds, for keyset cursors. Cursors travel as text and
 * are cast back in SQL (`::text::timestamptz`): postgres.js turns a timestamptz parameter into a
 * JS Date, which keeps only milliseconds, and rows within that millisecond would be skipped.
 */
export function cursorText(db: Db, column: string) {
  return db`to_char(${db(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
