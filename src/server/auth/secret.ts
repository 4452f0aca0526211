import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { getEnv, isEmbeddedDatabase } from "@/lib/env";

let cached: Promise<string> | undefined;

async function readOrCreateSecret(file: string): Promise<string> {
  const existing = (await readFile(file, "utf8").catch(() => "")).trim();
  if (existing.length >= 32) return existing;
  const secret = randomBytes(32).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The key that signs built-in sessions: AUTH_SECRET, or, for local use without one, a random
 * key generated once and kept under the data directory so sessions survive restarts.
 */
export function getAuthSecret(): Promise<string> {
  cached ??= (async () => {
    const env = getEnv();
    if (env.AUTH_SECRET) return env.AUTH_SECRET;
    if (env.NODE_ENV === "production" && !isEmbeddedDatabase(env)) {
      throw new Error("AUTH_SECRET must be set (32+ characters) when running in production.");
    }
    return readOrCreateSecret(path.resolve(env.JOBBOARD_DATA_DIR, "auth-secret"));
  })();
  return cached;
}
