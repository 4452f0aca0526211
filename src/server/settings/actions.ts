"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { guardedAction } from "../auth/action-guard";
import { WORKSPACE_COOKIE } from "../auth/context";
import { postToSlack } from "../notify/send";
import { deleteWorkspaceSchema, slackWebhookSchema, workspaceSettingsSchema } from "./schemas";
import { deleteWorkspace, readWorkspaceSlackWebhook, setWorkspaceSlackWebhook, updateWorkspaceSettings } from "./service";

const ADMINS_ONLY = "Only admins can change workspace settings.";

export async function saveWorkspaceSettingsAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = workspaceSettingsSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return guardedAction("admin", ADMINS_ONLY, async ({ workspace, user, db }) => {
    await db((tx) => updateWorkspaceSettings(tx, { workspaceId: workspace.id, values: input.data, actor: { userId: user.id, email: user.email } }));
    revalidatePath("/", "layout");
    return { ok: true };
  });
}

export async function saveSlackWebhookAction(_: ActionState, form: FormData): Promise<ActionState> {
  const clear = form.get("clear") === "1";
  const input = clear ? null : slackWebhookSchema.safeParse(formFields(form));
  if (input && !input.success) return fieldErrors(input.error);
  return guardedAction("admin", ADMINS_ONLY, async ({ workspace, user, db }) => {
    await db((tx) =>
      setWorkspaceSlackWebhook(tx, { workspaceId: workspace.id, url: input?.data.slackWebhookUrl ?? null, actor: { userId: user.id, email: user.email } }),
    );
    revalidatePath("/settings");
    return { ok: true };
  });
}

export async function sendSlackTestAction(_: ActionState, _form: FormData): Promise<ActionState> {
  return guardedAction("admin", ADMINS_ONLY, async ({ workspace, user, db }) => {
    const url = await db((tx) => readWorkspaceSlackWebhook(tx, workspace.id));
    if (!url) return { error: "Save a Slack webhook URL first." };
    const text = `Jobboard test message for ${workspace.name}, sent by ${user.email}. Alerts for this workspace will arrive here.`;
    const delivered = await postToSlack(url, { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] }, { timeoutMs: 5000, backoffMs: 300 });
    return delivered ? { ok: true } : { error: "Slack did not accept the message. Check the webhook URL (the server log has Slack's answer)." };
  });
}

export async function deleteWorkspaceAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = deleteWorkspaceSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  const result = await guardedAction("owner", "Only an owner can delete the workspace.", async ({ workspace, user, db }) => {
    await db((tx) => deleteWorkspace(tx, { workspaceId: workspace.id, confirmSlug: input.data.confirmSlug, actor: { userId: user.id, email: user.email } }));
    (await cookies()).delete(WORKSPACE_COOKIE);
    return { ok: true };
  });
  if (!result.ok) return result;
  revalidatePath("/", "layout");
  redirect("/");
}
