import { type ChildProcessByStdio, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import type { Readable } from "node:stream";

/**
 * A run's command and everything it starts, stopped as one. On POSIX the command leads its own
 * process group (`detached: true`), so SIGTERM and then SIGKILL reach its children too; on
 * Windows `taskkill /T /F` ends the tree.
 */

const isWindows = process.platform === "win32";

export type TreeChild = ChildProcessByStdio<null, Readable, Readable>;

/** Starts a command without a shell (the argv array is passed as it is), stdin from /dev/null. */
export function spawnTree(argv: readonly [string, ...string[]], options: { cwd?: string; env: Record<string, string> }): TreeChild {
  const [program, ...args] = argv;
  return spawn(program, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    detached: !isWindows,
    stdio: ["ignore", "pipe", "pipe"],
    windowsHide: true,
  });
}

/** `/proc/<pid>/stat`'s state and process group, or null when the process is gone. */
function procStat(pid: number): { state: string; pgrp: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses, so read after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

const isDead = (state: string) => state === "Z" || state === "X" || state === "x";

/** The live (not zombie) members of a process group, read from /proc on Linux. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat && stat.pgrp === pgid && !isDead(stat.state)) members.push(Number(name));
  }
  return members;
}

/** Whether a process still runs. A zombie has ended: it only waits to be reaped. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (process.platform !== "linux") return true;
  const stat = procStat(pid);
  return stat !== null && !isDead(stat.state);
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // An orphan's zombie stays in the group until init reaps it, which some containers' init never does.
  return process.platform === "linux" ? groupMembers(pgid).length > 0 : true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForGroupToEnd(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!isGroupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await pause(Math.min(50, Math.max(1, deadline - Date.now())));
  }
}

function taskkill(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const killer = spawn("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true });
    killer.once("error", () => resolve());
    killer.once("exit", () => resolve());
  });
}

/** How long SIGKILL gets to take effect before giving up on a process stuck in the kernel. */
const AFTER_SIGKILL_MS = 5000;

/**
 * Stops a command and its descendants: SIGTERM to the group, SIGKILL to what is left after
 * `graceMs`; `taskkill /T /F` on Windows. Resolves once the tree has ended (true), or false if
 * something outlived SIGKILL.
 */
export async function killTree(pid: number, options: { graceMs: number; force?: boolean }): Promise<boolean> {
  if (isWindows) {
    await taskkill(pid);
    return true;
  }
  if (!options.force) {
    signalGroup(pid, "SIGTERM");
    if (await waitForGroupToEnd(pid, options.graceMs)) return true;
  }
  signalGroup(pid, "SIGKILL");
  return waitForGroupToEnd(pid, AFTER_SIGKILL_MS);
}
