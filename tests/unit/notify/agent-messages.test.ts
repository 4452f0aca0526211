import { describe, expect, it } from "vitest";
import { alertStateOf } from "@/server/notify/alert-log";
import { buildAgentSlackMessage } from "@/server/notify/agent-messages";

const agent = { agentName: "gpu <1>", host: "node-7", agentUrl: "https://jobboard.example/incidents/agent/x" };

describe("agent Slack messages", () => {
  it("says an agent is offline since its last contact, escaping its name", () => {
    const message = buildAgentSlackMessage({ kind: "agent_offline", lastSeenAt: new Date("2026-12-07T03:00:00Z") }, agent);
    expect(message.text).toBe(
      ":electric_plug: Agent gpu &lt;1&gt; (node-7) is offline: not heard from since 2026-12-07T03:00:00.000Z. Missed and lost runs of the jobs only it runs are recorded here, not sent one by one",
    );
    expect(message.blocks.at(-1)).toMatchObject({ type: "actions", elements: [{ url: agent.agentUrl }] });
  });

  it("lists, once back, what was held back meanwhile, and leaves out the recoveries folded with it", () => {
    const message = buildAgentSlackMessage(
      {
        kind: "agent_recovery",
        offlineMs: 3_600_000,
        folded: [
          { jobTitle: "train", kind: "failure", status: "lost" },
          { jobTitle: "export", kind: "missed" },
          { jobTitle: "train", kind: "recovery" },
        ],
      },
      { ...agent, agentUrl: null },
    );
    expect(message.text).toBe(":white_check_mark: Agent gpu &lt;1&gt; (node-7) is back after 1 h 00 m offline: 2 alerts held back meanwhile");
    expect(message.blocks[1]).toEqual({ type: "section", text: { type: "mrkdwn", text: "• train: run lost\n• export: missed its run" } });
    expect(message.blocks).toHaveLength(2);
  });

  it("says when nothing was missed, and counts what it does not list", () => {
    expect(buildAgentSlackMessage({ kind: "agent_recovery", offlineMs: null, folded: [] }, agent).text).toBe(
      ":white_check_mark: Agent gpu &lt;1&gt; (node-7) is back: no job missed a run meanwhile",
    );
    const many = Array.from({ length: 23 }, (_, index) => ({ jobTitle: `job ${index}`, kind: "missed" }));
    const text = JSON.stringify(buildAgentSlackMessage({ kind: "agent_recovery", offlineMs: 60_000, folded: many }, agent).blocks[1]);
    expect(text).toContain("job 19: missed");
    expect(text).not.toContain("job 20:");
    expect(text).toContain("… and 3 more");
  });
});

describe("an alert's state in the log", () => {
  const row = { last_error: null, sent_at: null, window_title: null, held_until: null, folded_agent_name: null, agent_incident_id: null };
  it("tells waiting from retrying, and names the window, the agent and the error", () => {
    const at = new Date();
    expect(alertStateOf({ ...row, status: "sent", sent_at: at })).toEqual({ kind: "sent", at });
    expect(alertStateOf({ ...row, status: "pending" })).toEqual({ kind: "waiting" });
    expect(alertStateOf({ ...row, status: "pending", last_error: "403" })).toEqual({ kind: "retrying", error: "403" });
    expect(alertStateOf({ ...row, status: "failed", last_error: "404" })).toEqual({ kind: "failed", error: "404" });
    expect(alertStateOf({ ...row, status: "held", window_title: "DB upgrade", held_until: at })).toEqual({ kind: "held", window: "DB upgrade", until: at });
    expect(alertStateOf({ ...row, status: "suppressed" })).toEqual({ kind: "suppressed", window: null });
    expect(alertStateOf({ ...row, status: "folded", folded_agent_name: "gpu", agent_incident_id: "i" })).toEqual({ kind: "folded", agent: "gpu", agentIncidentId: "i" });
    expect(alertStateOf({ ...row, status: "skipped" })).toEqual({ kind: "skipped" });
  });
});
