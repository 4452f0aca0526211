import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const INGEST_KEY_PREFIX = "jb_";
const KEY_PATTERN = /^(jb_[A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export type NewIngestKey = { token: string; prefix: string; hash: string };

export function hashIngestKey(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * A new key: `jb_<12 id chars>_<32 random bytes>`. The id part is stored as the prefix, to
 * find the row and show the key in lists; only a SHA-256 of the whole token is kept.
 * (A slow hash is for guessable passwords; 256 random bits need none.)
 */
export function generateIngestKey(): NewIngestKey {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const id = Array.from(randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join("");
  const prefix = `${INGEST_KEY_PREFIX}${id}`;
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix, hash: hashIngestKey(token) };
}

/** The prefix of a well-formed key, or null for anything else. */
export function parseIngestKey(token: string): string | null {
  return KEY_PATTERN.exec(token)?.[1] ?? null;
}

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(provided: string, expected: string): boolean {
  // Hashing first gives equal lengths, so not even the length leaks.
  const a = createHash("sha256").update(provided, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
