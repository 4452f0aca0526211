/** Failures a user can act on; their messages are safe to show. Anything else is logged, not shown. */
export type AppErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unavailable";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** PostgreSQL's SQLSTATE, when the error came from the database. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export const UNIQUE_VIOLATION = "23505";
export const CHECK_VIOLATION = "23514";
export const INSUFFICIENT_PRIVILEGE = "42501";
export const FOREIGN_KEY_VIOLATION = "23503";

/** Rethrows RLS's "insufficient privilege" as a `forbidden` AppError with a message a person can act on. */
export function rethrowDenied(error: unknown, message: string): never {
  if (sqlState(error) === INSUFFICIENT_PRIVILEGE) throw new AppError("forbidden", message);
  throw error;
}
