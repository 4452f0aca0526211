const CONNECTION_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

// How postgres.js fails a statement whose connection went away under it: closed by the server
// (a FATAL such as a shutdown arrives as CONNECTION_CLOSED), reset, or torn down by the pool.
const LOST_CONNECTION = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

// A connection that was open, went bad while it sat in the pool, and failed the first thing sent
// on it. Refusals to connect (ECONNREFUSED, CONNECT_TIMEOUT, 57P03) are not here: they come from
// a fresh connection, so an immediate second try would only fail the same way, later.
const BROKEN_POOLED_CONNECTION = new Set(["CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * True when the database could not be reached or is refusing work for now (connection failures,
 * SQLSTATE class 08, shutdown, too many connections): a caller should retry, not give up.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (code === undefined) return false;
  return (
    CONNECTION_ERRORS.has(code) || code.startsWith("08") || ["57P01", "57P02", "57P03", "53300"].includes(code)
  );
}

/** True when a statement failed because its connection is gone, not because of what it said. */
export function isConnectionLost(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && LOST_CONNECTION.has(code);
}

/**
 * True when the error is what a pooled connection that had silently died answers. Retrying is
 * safe only if nothing but side-effect-free set-up was sent on it, which the caller must know.
 */
export function isBrokenPooledConnection(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && BROKEN_POOLED_CONNECTION.has(code);
}
