import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

/** The CLI's version, sent to the hub when the agent registers. */
export const VERSION = "0.1.0";

/**
 * "sha256 <sum>  <file>" of the file Node runs this CLI from, to compare with the hub's
 * /jobboard.mjs.sha256 before trusting a copy; nothing when that file cannot be read.
 */
export async function ownChecksumLine(): Promise<string> {
  const file = process.argv[1] ? path.resolve(process.argv[1]) : null;
  if (!file) return "";
  try {
    return `sha256 ${createHash("sha256").update(await readFile(file)).digest("hex")}  ${file}\n`;
  } catch {
    return "";
  }
}
