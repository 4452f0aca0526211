import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { REPORT_PATH, endpointUrl, hubBaseUrl, postJson } from "./http";

/**
 * Reports and finishes that could not reach the hub wait here, one JSON file each, and are
 * replayed in order by the next `jobboard run`, `report`, `agent` or `spool flush`. The token
 * is never written: an entry keeps only its fingerprint and is replayed with a token that has it.
 */

export const AGENT_FINISH_PATH = "/api/agent/finish";
export type SpoolEndpoint = typeof REPORT_PATH | typeof AGENT_FINISH_PATH;
const ENDPOINTS: readonly string[] = [REPORT_PATH, AGENT_FINISH_PATH];

export type SpoolEntry = {
  version: 1;
  endpoint: SpoolEndpoint;
  hub_url: string;
  token_fingerprint: string;
  payload: Record<string, unknown>;
  spooled_at: string;
};

export type StoredEntry = { file: string; entry: SpoolEntry };

const ENTRY_NAME = /^\d{15}-\d{6}-\d+-[0-9a-f]+\.json$/;
export const REJECTED_DIR = "rejected";

export function defaultSpoolDir(env: Record<string, string | undefined> = process.env): string {
  const configured = env.JOBBOARD_SPOOL_DIR?.trim();
  return configured ? path.resolve(configured) : path.join(homedir(), ".jobboard", "spool");
}

/** The first 16 hex characters of the token's SHA-256: enough to match, useless to replay with. */
export function tokenFingerprint(token: string | undefined): string {
  return createHash("sha256").update(token ?? "").digest("hex").slice(0, 16);
}

let sequence = 0;

/** A name that sorts by time, then by this process's sequence, so replay keeps the order. */
function entryName(now: Date): string {
  const seq = String(sequence++ % 1_000_000).padStart(6, "0");
  return `${String(now.getTime()).padStart(15, "0")}-${seq}-${process.pid}-${randomBytes(3).toString("hex")}.json`;
}

/** Writes one entry atomically (a temporary file, synced, then renamed), readable only by its owner. */
export async function writeSpoolEntry(
  dir: string,
  p: { endpoint: SpoolEndpoint; hubUrl: string; token: string | undefined; payload: Record<string, unknown> },
  now: Date = new Date(),
): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const entry: SpoolEntry = {
    version: 1,
    endpoint: p.endpoint,
    hub_url: hubBaseUrl(p.hubUrl),
    token_fingerprint: tokenFingerprint(p.token),
    payload: p.payload,
    spooled_at: now.toISOString(),
  };
  const name = entryName(now);
  const file = path.join(dir, name);
  const temporary = path.join(dir, `.${name}.tmp`);
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(entry)}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  return file;
}

function isEntry(value: unknown): value is SpoolEntry {
  if (!value || typeof value !== "object") return false;
  const entry = value as Record<string, unknown>;
  return (
    entry.version === 1 &&
    typeof entry.endpoint === "string" &&
    ENDPOINTS.includes(entry.endpoint) &&
    typeof entry.hub_url === "string" &&
    typeof entry.token_fingerprint === "string" &&
    typeof entry.spooled_at === "string" &&
    !!entry.payload &&
    typeof entry.payload === "object" &&
    !Array.isArray(entry.payload)
  );
}

/** The waiting entries, oldest first; files that are not entries are named apart. */
export async function listSpool(dir: string): Promise<{ entries: StoredEntry[]; unreadable: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], unreadable: [] };
    throw error;
  }
  const entries: StoredEntry[] = [];
  const unreadable: string[] = [];
  for (const name of names.filter((candidate) => ENTRY_NAME.test(candidate)).sort()) {
    const file = path.join(dir, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // replayed meanwhile by another jobboard
      parsed = undefined;
    }
    if (isEntry(parsed)) entries.push({ file, entry: parsed });
    else unreadable.push(file);
  }
  return { entries, unreadable };
}

async function moveToRejected(dir: string, file: string): Promise<string | null> {
  const target = path.join(dir, REJECTED_DIR, path.basename(file));
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  try {
    await rename(file, target);
    return target;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function remove(file: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

export type ReplayOptions = {
  dir: string;
  hubUrl: string;
  /** Entries are replayed with the first of these whose fingerprint they carry. */
  tokens: Array<string | undefined>;
  /** Time allowed for each request. */
  requestTimeoutMs: number;
  /** Stop starting new requests after this long (the rest wait for the next replay). */
  budgetMs?: number;
  warn: (text: string) => void;
  signal?: AbortSignal;
};

export type ReplayResult = {
  sent: number;
  rejected: number;
  /** Entries for this hub and these tokens still waiting. */
  remaining: number;
  /** Why the replay stopped early (the hub unreachable or failing), or null. */
  problem: string | null;
};

/** Entries that belong to this hub and one of these tokens, each with the token to replay it with. */
export function entriesFor(entries: StoredEntry[], hubUrl: string, tokens: Array<string | undefined>) {
  const base = hubBaseUrl(hubUrl);
  const byFingerprint = new Map<string, string | undefined>();
  for (const token of tokens) {
    const fingerprint = tokenFingerprint(token);
    if (!byFingerprint.has(fingerprint)) byFingerprint.set(fingerprint, token);
  }
  return entries
    .filter(({ entry }) => entry.hub_url === base && byFingerprint.has(entry.token_fingerprint))
    .map((stored) => ({ ...stored, token: byFingerprint.get(stored.entry.token_fingerprint) }));
}

/**
 * Replays this hub's entries in order. A 2xx deletes an entry; a refusal (4xx) moves it to
 * `rejected/` with a warning; a network failure or 5xx stops the replay there, keeping order.
 */
export async function replaySpool(options: ReplayOptions): Promise<ReplayResult> {
  const result: ReplayResult = { sent: 0, rejected: 0, remaining: 0, problem: null };
  const { entries, unreadable } = await listSpool(options.dir);
  for (const file of unreadable) {
    const moved = await moveToRejected(options.dir, file);
    if (moved) options.warn(`${file} is not a spool entry; moved it to ${moved}`);
  }
  const mine = entriesFor(entries, options.hubUrl, options.tokens);
  const deadline = options.budgetMs === undefined ? Infinity : Date.now() + options.budgetMs;
  let index = 0;
  for (; index < mine.length; index++) {
    const { file, entry, token } = mine[index]!;
    const remaining = deadline - Date.now();
    if (remaining <= 0 || options.signal?.aborted) break;
    const answer = await postJson(endpointUrl(entry.hub_url, entry.endpoint), entry.payload, {
      token,
      timeoutMs: Math.min(options.requestTimeoutMs, remaining),
      signal: options.signal,
    });
    if (answer.kind === "unavailable") {
      result.problem = answer.error;
      break;
    }
    if (answer.kind === "ok") {
      await remove(file);
      result.sent++;
      continue;
    }
    const moved = await moveToRejected(options.dir, file);
    if (moved) {
      result.rejected++;
      options.warn(`the hub refused a spooled ${describe(entry)} (${answer.error}); moved it to ${moved}`);
    }
  }
  result.remaining = mine.length - index;
  return result;
}

function describe(entry: SpoolEntry): string {
  const runId = typeof entry.payload.run_id === "string" ? ` for run ${entry.payload.run_id}` : "";
  return `${entry.endpoint === AGENT_FINISH_PATH ? "agent finish" : "report"}${runId}`;
}

export type SpoolStatus = {
  dir: string;
  hubs: Array<{ hubUrl: string; count: number; oldest: string; matching: number }>;
  rejected: number;
  unreadable: number;
};

/** What is waiting, per hub; `matching` counts the entries this hub URL and these tokens can replay. */
export async function spoolStatus(dir: string, hubUrl: string, tokens: Array<string | undefined>): Promise<SpoolStatus> {
  const { entries, unreadable } = await listSpool(dir);
  const hubs = new Map<string, { hubUrl: string; count: number; oldest: string; matching: number }>();
  for (const { entry } of entries) {
    const hub = hubs.get(entry.hub_url) ?? { hubUrl: entry.hub_url, count: 0, oldest: entry.spooled_at, matching: 0 };
    hub.count++;
    if (entry.spooled_at < hub.oldest) hub.oldest = entry.spooled_at;
    hubs.set(entry.hub_url, hub);
  }
  for (const { entry } of entriesFor(entries, hubUrl, tokens)) hubs.get(entry.hub_url)!.matching++;
  let rejected = 0;
  try {
    rejected = (await readdir(path.join(dir, REJECTED_DIR))).filter((name) => ENTRY_NAME.test(name)).length;
  } catch {
    rejected = 0;
  }
  return { dir, hubs: [...hubs.values()], rejected, unreadable: unreadable.length };
}
