import { diff } from "../audit/diff";
import { recordAudit } from "../audit/record";
import type { Tx } from "../db/transactions";
import { AppError, rethrowDenied } from "../errors";
import type { Actor } from "../auth/actor";
import type { WorkspaceSettingsInput } from "./schemas";

export type WorkspaceSettings = {
  name: string;
  slug: string;
  timezone: string;
  retention_days: number;
  run_history_days: number;
  default_grace_seconds: number;
  /** The Slack webhook, masked: enough to recognise it, never enough to use it. */
  slack_webhook_masked: string | null;
};

/** `https://hooks.slack.com/…/••••abcd`: the host and the last four characters only. */
export function maskWebhookUrl(url: string): string {
  let host = "";
  try {
    host = new URL(url).host;
  } catch {
    host = "";
  }
  return `https://${host}/…/••••${url.slice(-4)}`;
}

/** Admin-only (the secrets table's RLS): null for anyone else. */
export async function getWorkspaceSettings(tx: Tx, workspaceId: string): Promise<WorkspaceSettings | null> {
  const [row] = await tx<(Omit<WorkspaceSettings, "slack_webhook_masked"> & { slack_webhook_url: string | null })[]>`
    select w.name, w.slug, w.timezone, w.retention_days, w.run_history_days, w.default_grace_seconds, s.slack_webhook_url
    from workspaces w
    left join workspace_secrets s on s.workspace_id = w.id
    where w.id = ${workspaceId}`;
  if (!row) return null;
  const { slack_webhook_url, ...rest } = row;
  return { ...rest, slack_webhook_masked: slack_webhook_url ? maskWebhookUrl(slack_webhook_url) : null };
}

export async function updateWorkspaceSettings(
  tx: Tx,
  p: { workspaceId: string; values: WorkspaceSettingsInput; actor: Actor },
): Promise<void> {
  const [before] = await tx<Record<string, unknown>[]>`
    select name, timezone, retention_days, run_history_days, default_grace_seconds from workspaces where id = ${p.workspaceId}`;
  if (!before) throw new AppError("not_found", "workspace.notFound");
  const after = {
    name: p.values.name,
    timezone: p.values.timezone,
    retention_days: p.values.retentionDays,
    run_history_days: p.values.runHistoryDays,
    default_grace_seconds: p.values.defaultGraceSeconds,
  };
  const updated = await tx`update workspaces set ${tx(after)} where id = ${p.workspaceId} returning id`;
  if (updated.length === 0) throw new AppError("forbidden", "workspace.settingsRefused");
  await recordAudit(tx, p, { action: "workspace.settings_updated", targetType: "workspace", targetId: p.workspaceId, detail: diff(before, after) });
}

/** Sets or clears the workspace's Slack webhook. The audit says that it changed, never what to. */
export async function setWorkspaceSlackWebhook(
  tx: Tx,
  p: { workspaceId: string; url: string | null; actor: Actor },
): Promise<void> {
  const changed = p.url
    ? await tx`
        insert into workspace_secrets (workspace_id, slack_webhook_url, updated_by)
        values (${p.workspaceId}, ${p.url}, ${p.actor.userId})
        on conflict (workspace_id) do update set slack_webhook_url = excluded.slack_webhook_url, updated_by = excluded.updated_by
        returning workspace_id`.catch((error: unknown) => rethrowDenied(error, "workspace.slackRefused"))
    : await tx`
        update workspace_secrets set slack_webhook_url = null, updated_by = ${p.actor.userId}
        where workspace_id = ${p.workspaceId}
        returning workspace_id`;
  if (changed.length === 0) {
    if (p.url) throw new AppError("forbidden", "workspace.slackRefused");
    return; // nothing was set, so nothing to clear
  }
  await recordAudit(tx, p, {
    action: p.url ? "workspace.slack_webhook_set" : "workspace.slack_webhook_cleared", targetType: "workspace", targetId: p.workspaceId,
    detail: p.url ? { slack_webhook_url: maskWebhookUrl(p.url) } : {},
  });
}

/** The webhook itself, for sending from the server (admins only, by RLS). */
export async function readWorkspaceSlackWebhook(tx: Tx, workspaceId: string): Promise<string | null> {
  const [row] = await tx<{ slack_webhook_url: string | null }[]>`
    select slack_webhook_url from workspace_secrets where workspace_id = ${workspaceId}`;
  return row?.slack_webhook_url ?? null;
}

/**
 * Deletes the workspace and everything in it (owners only, by RLS). Its audit log goes with
 * it, so the deletion is logged on the server instead.
 */
export async function deleteWorkspace(tx: Tx, p: { workspaceId: string; confirmSlug: string; actor: Actor }): Promise<void> {
  const [workspace] = await tx<{ slug: string }[]>`select slug from workspaces where id = ${p.workspaceId}`;
  if (!workspace) throw new AppError("not_found", "workspace.notFound");
  if (workspace.slug !== p.confirmSlug) throw new AppError("invalid_input", "confirm.typeToConfirm", { field: "confirmSlug", params: { value: workspace.slug } });
  const deleted = await tx`delete from workspaces where id = ${p.workspaceId} returning id`;
  if (deleted.length === 0) throw new AppError("forbidden", "workspace.deleteRefused");
  console.info(`workspace ${workspace.slug} (${p.workspaceId}) deleted by ${p.actor.email}`);
}
