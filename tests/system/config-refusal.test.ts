import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/app-server";

type Ending = { kind: "exited"; code: number | null; output: string } | { kind: "served"; output: string };

/**
 * `next start` with `env` on top of a self-hosted deploy's environment: how it ended, or that it
 * answered a page instead (then it is stopped).
 */
async function startWith(env: Record<string, string>): Promise<Ending> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), "jobboard-config-"));
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", JOBBOARD_DATA_DIR: dataDir, JOBBOARD_IN_PROCESS_SCHEDULER: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    for (;;) {
      if (child.exitCode !== null) return { kind: "exited", code: await exited, output };
      const answered = await fetch(`http://127.0.0.1:${port}/login`, { signal: AbortSignal.timeout(2000) }).then((response) => response.status, () => null);
      if (answered !== null) {
        child.kill("SIGKILL");
        await exited;
        return { kind: "served", output };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe("a configuration the server refuses", () => {
  it("stops next start at once with exit code 1 and one line naming the variable, instead of answering 500 to everything", async () => {
    const ending = await startWith({ JOBBOARD_RATE_REPORTS_PER_MINUTE: "100000000" });
    expect(ending).toMatchObject({ kind: "exited", code: 1 });
    const naming = ending.output.split("\n").filter((line) => line.includes("JOBBOARD_RATE_REPORTS_PER_MINUTE"));
    expect(naming).toHaveLength(1);
    expect(naming[0]).toMatch(/^Invalid environment: JOBBOARD_RATE_REPORTS_PER_MINUTE: /);
    // One line, not a stack trace.
    expect(ending.output).not.toMatch(/^\s+at /m);
  });

  it("names the heartbeat URL when it is not a URL", async () => {
    const ending = await startWith({ JOBBOARD_HEARTBEAT_URL: "hc-ping.com/not-a-url" });
    expect(ending).toMatchObject({ kind: "exited", code: 1 });
    expect(ending.output).toContain("JOBBOARD_HEARTBEAT_URL: must be an http:// or https:// URL");
  });
});
