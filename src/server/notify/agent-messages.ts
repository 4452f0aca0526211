import { formatDuration } from "@/lib/time";
import { escapeMrkdwn } from "./messages";
import type { SlackMessage } from "./send";

/** One alert folded into an agent incident: which job, and what it would have said. */
export type FoldedAlert = { jobTitle: string; kind: string; status?: string | null };

export type AgentEvent =
  | { kind: "agent_offline"; lastSeenAt: Date | null }
  | { kind: "agent_recovery"; offlineMs: number | null; folded: FoldedAlert[] };

export type AgentSummary = { agentName: string; host: string | null; agentUrl: string | null };

// A recovery lists this many of what was folded; the rest are counted.
const LISTED = 20;

function foldedWords(alert: FoldedAlert): string {
  if (alert.kind === "failure" && alert.status === "lost") return "run lost";
  if (alert.kind === "missed") return "missed its run";
  if (alert.kind === "reminder") return "reminder";
  if (alert.kind === "recovery") return "recovered";
  return alert.kind;
}

function headline(event: AgentEvent, agent: AgentSummary): string {
  const name = `*${escapeMrkdwn(agent.agentName)}*${agent.host ? ` (${escapeMrkdwn(agent.host)})` : ""}`;
  switch (event.kind) {
    case "agent_offline": {
      const since = event.lastSeenAt ? `not heard from since ${event.lastSeenAt.toISOString()}` : "not heard from";
      return `:electric_plug: Agent ${name} is offline: ${since}. Missed and lost runs of the jobs only it runs are recorded here, not sent one by one`;
    }
    case "agent_recovery": {
      const after = event.offlineMs != null ? ` after ${formatDuration(event.offlineMs)} offline` : "";
      const news = event.folded.filter((alert) => alert.kind !== "recovery");
      const meanwhile = news.length === 0 ? "no job missed a run meanwhile" : `${news.length === 1 ? "1 alert" : `${news.length} alerts`} held back meanwhile`;
      return `:white_check_mark: Agent ${name} is back${after}: ${meanwhile}`;
    }
  }
}

/** A Block Kit message for an agent's incident: pure, so it is tested as data. */
export function buildAgentSlackMessage(event: AgentEvent, agent: AgentSummary): SlackMessage {
  const title = headline(event, agent);
  const blocks: Record<string, unknown>[] = [{ type: "section", text: { type: "mrkdwn", text: title } }];
  if (event.kind === "agent_recovery") {
    const news = event.folded.filter((alert) => alert.kind !== "recovery");
    if (news.length > 0) {
      const lines = news.slice(0, LISTED).map((alert) => `• ${escapeMrkdwn(alert.jobTitle)}: ${foldedWords(alert)}`);
      if (news.length > LISTED) lines.push(`… and ${news.length - LISTED} more`);
      blocks.push({ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } });
    }
  }
  if (agent.agentUrl) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open in Jobboard" }, url: agent.agentUrl }],
    });
  }
  return { text: title.replaceAll("*", ""), blocks };
}
