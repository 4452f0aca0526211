import { describe, expect, it } from "vitest";
import { groupMembers, isProcessAlive, killTree, spawnTree } from "@/cli/agent/process-tree";
import { ActiveRun } from "@/cli/agent/run";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

/** Resolves once the shell has printed a line, by which time its `&` child has been forked. */
function firstLine(child: ReturnType<typeof spawnTree>): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(text);
    });
  });
}

describe.runIf(process.platform !== "win32")("stopping a command's process tree (POSIX)", () => {
  it("ends the command and the processes it started, in its own process group", async () => {
    const child = spawnTree(["sh", "-c", "sleep 300 & sleep 300; wait"], { env });
    const pid = child.pid!;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // The shell leads its own group; wait until it has started both sleeps in it.
    let sleeps: number[] = [];
    while (sleeps.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sleeps = groupMembers(pid).filter((member) => member !== pid);
    }
    expect(sleeps).toHaveLength(2);

    expect(await killTree(pid, { graceMs: 10_000 })).toBe(true);
    await exited;
    for (const sleep of sleeps) expect(isProcessAlive(sleep)).toBe(false);
    expect(groupMembers(pid)).toEqual([]);
  });

  it("kills with SIGKILL what ignores SIGTERM once the grace period is over", async () => {
    const child = spawnTree(["sh", "-c", "trap '' TERM; sleep 300 & echo started; wait"], { env });
    await firstLine(child);
    const pid = child.pid!;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    expect(await killTree(pid, { graceMs: 200 })).toBe(true);
    expect(await exited).toBe("SIGKILL");
    expect(groupMembers(pid)).toEqual([]);
  });

  it("reports a run stopped by the agent with the tree gone and the output kept", async () => {
    const run = new ActiveRun(
      { run_id: "run-1", job_key: "k", params: { date: "2026-12-01" }, timeout_seconds: null },
      { command: ["sh", "-c", 'echo "date=$JOBBOARD_PARAM_DATE run=$JOBBOARD_RUN_ID"; echo oops >&2; sleep 300 & sleep 300; wait'], env: {} },
      { hubUrl: "https://jobs.example.com", killGraceMs: 10_000, baseEnv: env },
    );
    // The command has printed once its first line shows in the tail.
    while (!run.tails().stdout_tail.includes("\n")) await new Promise((resolve) => setTimeout(resolve, 20));
    run.stop("stopped");
    const finish = await run.done;
    expect(finish).toMatchObject({
      run_id: "run-1",
      exit_code: null,
      signal: "SIGTERM",
      stdout_tail: "date=2026-12-01 run=run-1\n",
      stderr_tail: "oops\n",
      message: "the agent was stopped; terminated by signal SIGTERM",
      error: "the agent was stopped",
    });
  });

  it("fails a run whose command does not exist, naming it", async () => {
    const run = new ActiveRun(
      { run_id: "run-2", job_key: "k", params: {}, timeout_seconds: null },
      { command: ["jobboard-no-such-command"], env: {} },
      { hubUrl: "https://jobs.example.com", killGraceMs: 1000, baseEnv: env },
    );
    expect(await run.done).toMatchObject({ exit_code: null, error: "command not found: jobboard-no-such-command" });
  });

  it("says a run's exit code, and success in its own words", async () => {
    const context = { hubUrl: "https://jobs.example.com", killGraceMs: 1000, baseEnv: env };
    const failed = new ActiveRun({ run_id: "r3", job_key: "k", params: {}, timeout_seconds: null }, { command: ["sh", "-c", "exit 3"], env: {} }, context);
    expect(await failed.done).toMatchObject({ exit_code: 3, signal: null, message: "exited with code 3", error: null });
    const ok = new ActiveRun({ run_id: "r4", job_key: "k", params: {}, timeout_seconds: null }, { command: ["true"], env: {} }, context);
    expect((await ok.done).message).toMatch(/^completed in /);
  });
});
