import type { Locale } from "@/lib/i18n/messages";
import { serverMessage, type MessageParams, type ServerMessageKey } from "@/lib/i18n/server-messages";

/** Failures a user can act on; their messages are safe to show. Anything else is logged, not shown. */
export type AppErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unavailable";

/**
 * Carries a message key, not text: `message` is the English (for logs and the machine APIs), and
 * `localized` says it in the reader's language.
 */
export class AppError extends Error {
  readonly field?: string;
  readonly params?: MessageParams;

  constructor(
    readonly code: AppErrorCode,
    readonly key: ServerMessageKey,
    options: { field?: string; params?: MessageParams } = {},
  ) {
    super(serverMessage(key, "en", options.params));
    this.name = "AppError";
    this.field = options.field;
    this.params = options.params;
  }

  localized(locale: Locale): string {
    return serverMessage(this.key, locale, this.params);
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
export function rethrowDenied(error: unknown, refusal: ServerMessageKey): never {
  if (sqlState(error) === INSUFFICIENT_PRIVILEGE) throw new AppError("forbidden", refusal);
  throw error;
}
