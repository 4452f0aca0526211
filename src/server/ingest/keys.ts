import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const INGEST_KEY_PREFIX = "jb_";
export const AGENT_TOKEN_PREFIX = "jba_";

export type NewSecretToken = { token: string; prefix: string; hash: string };
export type NewIngestKey = NewSecretToken;

/** SHA-256 of a whole token. (A slow hash is for guessable passwords; 256 random bits need none.) */
export function hashIngestKey(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * A new token: `<kind prefix><12 id chars>_<32 random bytes>`. The id part is stored as the
 * prefix, to find the row and show the token in lists; only a SHA-256 of the whole is kept.
 */
export function generateSecretToken(kindPrefix: string): NewSecretToken {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const id = Array.from(randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join("");
  const prefix = `${kindPrefix}${id}`;
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix, hash: hashIngestKey(token) };
}

/** The prefix of a well-formed token of this kind, or null for anything else. */
export function parseSecretToken(kindPrefix: string, token: string): string | null {
  if (!token.startsWith(kindPrefix)) return null;
  const match = /^([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(token.slice(kindPrefix.length));
  return match ? `${kindPrefix}${match[1]}` : null;
}

/** A new ingest key (`jb_…`). */
export function generateIngestKey(): NewIngestKey {
  return generateSecretToken(INGEST_KEY_PREFIX);
}

/** The prefix of a well-formed ingest key, or null for anything else. */
export function parseIngestKey(token: string): string | null {
  return parseSecretToken(INGEST_KEY_PREFIX, token);
}

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(provided: string, expected: string): boolean {
  // Hashing first gives equal lengths, so not even the length leaks.
  const a = createHash("sha256").update(provided, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
