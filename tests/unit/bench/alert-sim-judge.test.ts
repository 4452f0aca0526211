import { describe, expect, it } from "vitest";
import { judge, type Delivered, type Want } from "../../../bench/alert-sim/judge";

// The alert simulator's judge: which alerts are held, dropped or delayed on purpose, and which
// are false, missed or late. A judge that let a wrong alert through would make every scenario pass.
const MINUTE = 60_000;
const at = (clock: string) => new Date(`2026-11-12T${clock}:00Z`).getTime();
const window = { from: at("03:00"), to: at("05:00") };
const to = at("08:00");

function want(kind: Want["kind"], clock: string, incident: number, maintenance = [window]): Want {
  return { jobKey: "job", kind, dueAt: at(clock), moment: at(clock), incident, workspace: 0, workspaceName: "A", maintenance };
}
const told = (kind: Delivered["kind"], clock: string): Delivered => ({ workspace: 0, jobKey: "job", kind, at: at(clock) });

describe("the alert simulator's judge", () => {
  it("wants a failure inside a window told when the window ends, and counts one told inside it as false", () => {
    const wanted = [want("failed", "03:30", 0), want("recovered", "06:00", 0)];
    const clean = judge(wanted, [told("failed", "05:00"), told("recovered", "06:00")], { to, slackOutages: [] });
    expect({ falseAlerts: clean.falseAlerts, missedAlerts: clean.missedAlerts, held: clean.held.told }).toEqual({ falseAlerts: 0, missedAlerts: 0, held: 1 });
    const leaked = judge(wanted, [told("failed", "03:30"), told("recovered", "06:00")], { to, slackOutages: [] });
    expect({ falseAlerts: leaked.falseAlerts, missedAlerts: leaked.missedAlerts }).toEqual({ falseAlerts: 1, missedAlerts: 1 });
  });

  it("drops an incident that opened and resolved inside a window, recovery included, and counts telling it as false", () => {
    const wanted = [want("failed", "03:30", 0), want("recovered", "04:00", 0)];
    expect(judge(wanted, [], { to, slackOutages: [] })).toMatchObject({ falseAlerts: 0, missedAlerts: 0, held: { dropped: 2 } });
    expect(judge(wanted, [told("recovered", "04:00")], { to, slackOutages: [] }).falseAlerts).toBe(1);
  });

  it("judges another workspace's alerts at the same moment as any others: held ones are late", () => {
    const wanted = [want("failed", "03:30", 0, []), want("recovered", "04:00", 0, [])];
    const result = judge(wanted, [told("failed", "05:00"), told("recovered", "05:00")], { to, slackOutages: [] });
    expect(result.held).toEqual({ told: 0, dropped: 0, maxAfterWindowMs: 0 });
    expect(result.latencyMs.max).toBe(90 * MINUTE);
  });

  it("reports apart what fell due while Slack was down, and what waited behind it, but misses what never came", () => {
    const outage = [{ from: at("03:00"), to: at("03:30") }];
    const wanted = [want("failed", "03:10", 0, []), want("recovered", "03:40", 0, []), want("failed", "04:00", 1, [])];
    const result = judge(wanted, [told("failed", "03:45"), told("recovered", "03:45"), told("failed", "04:00")], { to, slackOutages: outage });
    expect(result.delayed).toEqual({ told: 2, maxAfterSlackBackMs: 15 * MINUTE });
    expect({ falseAlerts: result.falseAlerts, missedAlerts: result.missedAlerts, max: result.latencyMs.max }).toEqual({ falseAlerts: 0, missedAlerts: 0, max: 0 });
    expect(judge(wanted, [told("failed", "04:00")], { to, slackOutages: outage }).missedAlerts).toBe(2);
  });
});
