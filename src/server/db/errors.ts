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

/**
 * True when the database could not be reached or is refusing work for now (connection failures,
 * SQLSTATE class 08, shutdown, too many connections): a caller should retry, not give up.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return (
    CONNECTION_ERRORS.has(code) || code.startsWith("08") || ["57P01", "57P02", "57P03", "53300"].includes(code)
  );
}
