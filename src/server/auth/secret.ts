import { getEnv, isEmbeddedDatabase } from "@/lib/env";
import { localSecret } from "../local-secret";

let cached: Promise<string> | undefined;

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
    return localSecret("auth-secret");
  })();
  return cached;
}
