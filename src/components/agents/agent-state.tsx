import { Chip } from "@/components/ui/chip";
import type { Translate } from "@/lib/i18n/messages";
import type { AgentRow } from "@/server/agents/queries";

/** Online/offline from the last heartbeat, and whether it is drained or detached. */
export function AgentState({ agent, t }: { agent: AgentRow; t: Translate }) {
  if (agent.revoked_at) return <Chip tone="neutral">{t("agents.detached")}</Chip>;
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Chip tone={agent.is_online ? "success" : "danger"}>{agent.is_online ? t("agents.online") : t("agents.offline")}</Chip>
      {agent.drained ? <Chip tone="warning">{t("agents.drained")}</Chip> : null}
    </span>
  );
}
