import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { getEnv } from "@/lib/env";

/**
 * A random secret kept in a file under the data directory, made on first use. Only for the
 * embedded default, where nobody has configured one and it must survive restarts.
 */
export async function localSecret(name: string): Promise<string> {
  const file = path.resolve(getEnv().JOBBOARD_DATA_DIR, name);
  const existing = (await readFile(/*turbopackIgnore: true*/ file, "utf8").catch(() => "")).trim();
  if (existing.length >= 32) return existing;
  const secret = randomBytes(32).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(/*turbopackIgnore: true*/ file, secret, { mode: 0o600 });
  return secret;
}
