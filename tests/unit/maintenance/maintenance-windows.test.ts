import { describe, expect, it } from "vitest";
import { maintenanceVerdict } from "@/server/maintenance/hold";
import { maintenanceAt, occurrenceAt, type MaintenanceWindow } from "@/server/maintenance/windows";

const base = { workspace_id: "w", job_id: null, title: "T", starts_at: null, ends_at: null, cron: null, timezone: null, duration_minutes: null };
const once = (id: string, from: string, to: string, jobId: string | null = null): MaintenanceWindow => ({
  ...base,
  id,
  job_id: jobId,
  starts_at: new Date(from),
  ends_at: new Date(to),
});
const nightly = (id: string, cron: string, timezone: string, minutes: number, jobId: string | null = null): MaintenanceWindow => ({
  ...base,
  id,
  job_id: jobId,
  cron,
  timezone,
  duration_minutes: minutes,
});
const at = (iso: string) => new Date(iso);

describe("maintenance windows", () => {
  it("covers a one-off range from its start up to, not including, its end", () => {
    const window = once("a", "2026-12-24T03:00:00Z", "2026-12-24T05:00:00Z");
    expect(occurrenceAt(window, at("2026-12-24T02:59:59Z"))).toBeNull();
    expect(occurrenceAt(window, at("2026-12-24T03:00:00Z"))?.end).toEqual(at("2026-12-24T05:00:00Z"));
    expect(occurrenceAt(window, at("2026-12-24T05:00:00Z"))).toBeNull();
  });

  it("starts a recurring window on its zone's wall clock and lasts its minutes of real time, across both DST changes", () => {
    const window = nightly("n", "0 1 * * *", "America/New_York", 120);
    // A summer night: 01:00 EDT is 05:00 UTC.
    expect(occurrenceAt(window, at("2026-07-01T06:59:00Z"))?.start).toEqual(at("2026-07-01T05:00:00Z"));
    expect(occurrenceAt(window, at("2026-07-01T07:00:00Z"))).toBeNull();
    // Clocks fall back: the first 01:00 starts it, so the second 01:30 (06:30 UTC) is inside and 02:30 EST is not.
    expect(occurrenceAt(window, at("2026-11-01T06:30:00Z"))?.start).toEqual(at("2026-11-01T05:00:00Z"));
    expect(occurrenceAt(window, at("2026-11-01T07:30:00Z"))).toBeNull();
    // Clocks spring forward: 01:00 EST is 06:00 UTC, and two hours later it is 04:00 EDT.
    expect(occurrenceAt(window, at("2026-03-08T07:59:00Z"))?.end).toEqual(at("2026-03-08T08:00:00Z"));
    // A winter night: 01:00 EST is 06:00 UTC.
    expect(occurrenceAt(window, at("2026-12-01T05:59:00Z"))).toBeNull();
    expect(occurrenceAt(window, at("2026-12-01T06:00:00Z"))?.end).toEqual(at("2026-12-01T08:00:00Z"));
  });

  it("applies a job's window to that job only, a workspace's to every job, and takes the one ending last", () => {
    const windows = [
      once("job-a", "2026-12-24T03:00:00Z", "2026-12-24T04:00:00Z", "A"),
      once("everyone", "2026-12-24T03:30:00Z", "2026-12-24T06:00:00Z"),
    ];
    expect(maintenanceAt(windows, { workspaceId: "w", jobId: "A" }, at("2026-12-24T03:10:00Z"))?.window.id).toBe("job-a");
    expect(maintenanceAt(windows, { workspaceId: "w", jobId: "B" }, at("2026-12-24T03:10:00Z"))).toBeNull();
    expect(maintenanceAt(windows, { workspaceId: "w", jobId: "A" }, at("2026-12-24T03:45:00Z"))?.window.id).toBe("everyone");
  });

  it("never applies a window to another workspace's job, whole-workspace ones included", () => {
    const windows = [once("everyone", "2026-12-24T03:00:00Z", "2026-12-24T06:00:00Z")];
    expect(maintenanceAt(windows, { workspaceId: "other", jobId: "A" }, at("2026-12-24T04:00:00Z"))).toBeNull();
    expect(maintenanceAt(windows, { workspaceId: "w", jobId: "A" }, at("2026-12-24T04:00:00Z"))?.window.id).toBe("everyone");
  });
});

describe("what the outbox does inside a window", () => {
  const windows = [once("w1", "2026-12-24T03:00:00Z", "2026-12-24T05:00:00Z")];
  const alert = { kind: "failure", workspace_id: "w", job_id: "A", incident_id: "i", moment: at("2026-12-24T04:00:00Z"), held_until: null, incident_was_held: false };
  const now = at("2026-12-24T04:00:05Z");

  it("holds news of an incident until the window ends, and sends what happened outside it", () => {
    expect(maintenanceVerdict(alert, windows, now)).toEqual({ action: "hold", windowId: "w1", until: at("2026-12-24T05:00:00Z") });
    expect(maintenanceVerdict({ ...alert, kind: "missed" }, windows, now)).toMatchObject({ action: "hold" });
    expect(maintenanceVerdict({ ...alert, moment: at("2026-12-24T05:00:00Z") }, windows, now)).toEqual({ action: "send" });
  });

  it("leaves another workspace's alert alone", () => {
    expect(maintenanceVerdict({ ...alert, workspace_id: "other" }, windows, now)).toEqual({ action: "send" });
  });

  it("drops news that has no incident to wait for: a duration rule's, every run's", () => {
    expect(maintenanceVerdict({ ...alert, kind: "duration", incident_id: null }, windows, now)).toEqual({ action: "suppress", windowId: "w1" });
    expect(maintenanceVerdict({ ...alert, kind: "success", incident_id: null }, windows, now)).toEqual({ action: "suppress", windowId: "w1" });
  });

  it("sends a recovery only of an incident someone was told of", () => {
    expect(maintenanceVerdict({ ...alert, kind: "recovery", incident_was_held: true }, windows, now)).toEqual({ action: "suppress", windowId: null });
    expect(maintenanceVerdict({ ...alert, kind: "recovery", moment: at("2026-12-24T04:30:00Z") }, windows, now)).toEqual({ action: "send" });
  });

  it("judges a released alert by the time now, so a window right after holds it again", () => {
    const released = { ...alert, held_until: at("2026-12-24T05:00:00Z") };
    const next = [...windows, once("w2", "2026-12-24T05:00:00Z", "2026-12-24T06:00:00Z")];
    expect(maintenanceVerdict(released, next, at("2026-12-24T05:00:30Z"))).toEqual({ action: "hold", windowId: "w2", until: at("2026-12-24T06:00:00Z") });
    expect(maintenanceVerdict(released, next, at("2026-12-24T06:00:30Z"))).toEqual({ action: "send" });
  });
});
