"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { formFields } from "@/lib/action-state";
import { workspaceAction } from "../auth/workspace-action";
import { WORKSPACE_COOKIE } from "../auth/context";
import { postToSlack } from "../notify/send";
import { deleteWorkspaceSchema, slackWebhookUrlSchema, workspaceSettingsSchema } from "./schemas";
import { deleteWorkspace, readWorkspaceSlackWebhook, setWorkspaceSlackWebhook, updateWorkspaceSettings } from "./service";

const ADMINS_ONLY = "workspace.settingsRefused";

// "Clear" sends no URL: it reads as null, which only clearing may send.
const slackWebhookFormSchema = z.object({ slackWebhookUrl: slackWebhookUrlSchema.nullable() });

export const saveWorkspaceSettingsAction = workspaceAction(
  { role: "admin", refusal: ADMINS_ONLY, schema: workspaceSettingsSchema, revalidate: () => [{ layout: "/" }] },
  (input, { workspace, actor, db }) => db((tx) => updateWorkspaceSettings(tx, { workspaceId: workspace.id, values: input, actor })),
);

export const saveSlackWebhookAction = workspaceAction(
  {
    role: "admin",
    refusal: ADMINS_ONLY,
    schema: slackWebhookFormSchema,
    read: (form) => (form.get("clear") === "1" ? { slackWebhookUrl: null } : formFields(form)),
    revalidate: () => ["/settings"],
  },
  (input, { workspace, actor, db }) => db((tx) => setWorkspaceSlackWebhook(tx, { workspaceId: workspace.id, url: input.slackWebhookUrl, actor })),
);

export const sendSlackTestAction = workspaceAction(
  { role: "admin", refusal: ADMINS_ONLY, schema: z.object({}) },
  async (_, { workspace, user, db }) => {
    const url = await db((tx) => readWorkspaceSlackWebhook(tx, workspace.id));
    if (!url) return { error: "Save a Slack webhook URL first." };
    const text = `Jobboard test message for ${workspace.name}, sent by ${user.email}. Alerts for this workspace will arrive here.`;
    const delivered = await postToSlack(url, { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] }, { timeoutMs: 5000, backoffMs: 300 });
    return delivered ? { ok: true } : { error: "Slack did not accept the message. Check the webhook URL (the server log has Slack's answer)." };
  },
);

export const deleteWorkspaceAction = workspaceAction(
  { role: "owner", refusal: "workspace.deleteRefused", schema: deleteWorkspaceSchema, revalidate: () => [{ layout: "/" }], redirectTo: () => "/" },
  async (input, { workspace, actor, db }) => {
    await db((tx) => deleteWorkspace(tx, { workspaceId: workspace.id, confirmSlug: input.confirmSlug, actor }));
    (await cookies()).delete(WORKSPACE_COOKIE);
    return { ok: true };
  },
);
