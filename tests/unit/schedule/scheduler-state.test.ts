import { describe, expect, it } from "vitest";
import type { Env } from "@/lib/env";
import { catchUpEndsAt, outageOfSlot } from "@/server/schedule/outages";
import { deriveSchedulerState } from "@/server/schedule/state";

const NOW = new Date("2026-11-20T12:00:00Z");
const MINUTE = 60_000;
const env = (values: Partial<Env>) => ({ NODE_ENV: "production", JOBBOARD_DATA_DIR: ".jobboard", JOBBOARD_EMBEDDED_PORT: 0, ...values }) as Env;
const ticks = (minutesAgo: number | null) => ({
  lastTickAt: minutesAgo === null ? null : new Date(NOW.getTime() - minutesAgo * MINUTE),
  runner: minutesAgo === null ? null : ("in-process" as const),
  ticksLastHour: 0,
  lastDurationMs: null,
});

describe("the scheduler's state", () => {
  it("is ok within 3 minutes of a tick, and late after, with the cause this server's configuration points to", () => {
    expect(deriveSchedulerState(ticks(2.9), { now: NOW, uptimeMs: 0, env: env({}) })).toMatchObject({ state: "ok", cause: null });
    expect(deriveSchedulerState(ticks(3.1), { now: NOW, uptimeMs: 0, env: env({}) })).toMatchObject({ state: "late", cause: "failing" });
    expect(deriveSchedulerState(ticks(10), { now: NOW, uptimeMs: 0, env: env({ INNGEST_EVENT_KEY: "key" }) })).toMatchObject({ state: "late", cause: "inngest" });
    expect(deriveSchedulerState(ticks(10), { now: NOW, uptimeMs: 0, env: env({ JOBBOARD_IN_PROCESS_SCHEDULER: "0" }) })).toMatchObject({ state: "late", cause: "none" });
  });

  it("gives a fresh server 3 minutes for its first tick, unless no scheduler is configured at all", () => {
    expect(deriveSchedulerState(ticks(null), { now: NOW, uptimeMs: 2 * MINUTE, env: env({}) }).state).toBe("starting");
    expect(deriveSchedulerState(ticks(null), { now: NOW, uptimeMs: 4 * MINUTE, env: env({}) }).state).toBe("never");
    expect(deriveSchedulerState(ticks(null), { now: NOW, uptimeMs: 0, env: env({ JOBBOARD_IN_PROCESS_SCHEDULER: "0" }) })).toMatchObject({ state: "never", cause: "none" });
  });
});

describe("a slot inside Jobboard's own outage", () => {
  const outage = { from: new Date("2026-11-20T08:10:00Z"), to: new Date("2026-11-20T10:10:00Z") };
  const at = (time: string) => new Date(`2026-11-20T${time}Z`);

  it("is one whose start or grace meets the gap", () => {
    expect(outageOfSlot([outage], at("09:00:00"), 5 * MINUTE)).toBe(outage);
    // Due before the gap, but its grace ran out inside it: the tick never judged it.
    expect(outageOfSlot([outage], at("08:07:00"), 5 * MINUTE)).toBe(outage);
    // Due just before Jobboard came back: its run may have spooled its report.
    expect(outageOfSlot([outage], at("10:09:00"), 0)).toBe(outage);
    expect(outageOfSlot([outage], at("08:00:00"), 5 * MINUTE)).toBeNull();
    expect(outageOfSlot([outage], at("10:10:00"), 5 * MINUTE)).toBeNull();
  });

  it("is judged after the job's grace or 10 minutes, whichever is longer, from when Jobboard came back", () => {
    expect(catchUpEndsAt(outage, 5 * MINUTE)).toEqual(at("10:20:00"));
    expect(catchUpEndsAt(outage, 30 * MINUTE)).toEqual(at("10:40:00"));
  });
});
