import { ActionButton } from "@/components/ui/action-button";
import type { Translate } from "@/lib/i18n/messages";
import { controlAgentAction } from "@/server/agents/actions";
import type { AgentRow } from "@/server/agents/queries";
import { cancelRunAction } from "@/server/runs/actions";

/** Seed 004's worker controls: drain or resume, detach, and cancel what it runs now. */
export function AgentControls({ agent, t }: { agent: AgentRow; t: Translate }) {
  if (agent.revoked_at) return null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {agent.current_run_id ? (
        <ActionButton action={cancelRunAction} fields={{ runId: agent.current_run_id }} label={t("agents.cancelRun")} confirm={t("run.cancelConfirm")} keepLabel={t("run.keepRunning")} />
      ) : null}
      <ActionButton
        action={controlAgentAction}
        fields={{ agentId: agent.id, control: agent.drained ? "resume" : "drain" }}
        label={agent.drained ? t("agents.resume") : t("agents.drain")}
      />
      <ActionButton
        action={controlAgentAction}
        fields={{ agentId: agent.id, control: "detach" }}
        label={t("agents.detach")}
        confirm={t("agents.detachConfirm", { name: agent.name })}
      />
    </div>
  );
}
