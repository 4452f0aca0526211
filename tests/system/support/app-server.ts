import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";

/** A free loopback port, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type AppServer = {
  url: string;
  port: number;
  /** The server process (`next start` itself), e.g. to read its memory. */
  pid: number;
  /** Everything the server printed, for assertions and for failure messages. */
  output: () => string;
  /** Stops the server: SIGTERM as a deploy would, or SIGKILL as a crash does. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

export type AppOptions = {
  /** Unset: the embedded database, in the env's JOBBOARD_DATA_DIR. */
  databaseUrl?: string;
  port?: number;
  env?: Record<string, string>;
};

export const APP_AUTH_SECRET = randomBytes(32).toString("base64url");

/**
 * Starts the production build (`next start`) as its own process on a PostgreSQL database, with
 * the environment a self-hosted deploy has: the same server, instrumentation and notifier
 * users get, nothing injected by the test.
 */
export async function startApp(options: AppOptions): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      AUTH_SECRET: APP_AUTH_SECRET,
      APP_URL: url,
      // The suite drives time itself; a background minute tick would only add noise.
      JOBBOARD_IN_PROCESS_SCHEDULER: "0",
      // The Slack stand-in and HTTP targets listen on loopback.
      JOBBOARD_EGRESS_ALLOW: "127.0.0.1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/login`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next start did not answer within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A graceful stop waits for open requests (an agent's long-poll); do not wait forever.
      const forced = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(forced);
    },
  };
}
