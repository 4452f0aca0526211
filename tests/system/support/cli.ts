import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** The self-contained CLI that `npm run build:cli` makes: what users download from /jobboard.mjs. */
export const CLI_BUNDLE = path.resolve("dist/jobboard.mjs");

export type Finished = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

// Only what a user's shell would pass: nothing of the test runner's environment leaks in.
const baseEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? "", ...env }) as unknown as NodeJS.ProcessEnv;

/** Runs the bundled CLI to completion. */
export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env: baseEnv(env), cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export type AgentProcess = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Finished>;
  stop: (signal?: NodeJS.Signals) => Promise<Finished>;
};

/** Starts `jobboard agent` from the bundle as its own process. */
export function startAgent(configPath: string, env: Record<string, string>): AgentProcess {
  const child = spawn(process.execPath, [CLI_BUNDLE, "agent", "--config", configPath], { env: baseEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Finished>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    output: () => `${stdout}${stderr}`,
    exited,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Whether a process with this id is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
