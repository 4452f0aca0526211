import { egressPolicy, slackWebhookProblem } from "../egress";
import { z } from "zod";
import { isTimeZone } from "@/lib/timezone";

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

export const workspaceSettingsSchema = z
  .object({
    name: z.string().trim().min(1, "Give the workspace a name").max(100, "Keep the name under 100 characters"),
    timezone: z.string().trim().refine(isTimeZone, "Unknown timezone (use an IANA name like Asia/Tokyo)"),
    retentionDays: wholeNumber("Log retention", 1, 365),
    runHistoryDays: wholeNumber("Run history", 1, 3650),
    defaultGraceSeconds: wholeNumber("Default grace", 0, 604_800),
  })
  // A log belongs to its run: deleting runs sooner than their logs would drop the logs early.
  .refine((values) => values.runHistoryDays >= values.retentionDays, {
    path: ["runHistoryDays"],
    message: "Run history must be at least as long as log retention (logs go with their runs)",
  });
export type WorkspaceSettingsInput = z.infer<typeof workspaceSettingsSchema>;

/** A Slack webhook URL: https, and Slack's host unless JOBBOARD_EGRESS_ALLOW names another. */
export const slackWebhookUrlSchema = z
  .url({ protocol: /^https?$/, error: "Slack webhook URLs start with https://" })
  .max(500)
  .superRefine((url, ctx) => {
    const problem = slackWebhookProblem(url, egressPolicy());
    if (problem) ctx.addIssue({ code: "custom", message: url.startsWith("https://") ? problem : "Slack webhook URLs start with https://" });
  });

export const slackWebhookSchema = z.object({ slackWebhookUrl: slackWebhookUrlSchema });

export const ROLE_CHOICES = ["viewer", "operator", "admin", "owner"] as const;

export const inviteSchema = z.object({
  email: z.email("Enter an email address").trim().toLowerCase().max(254),
  role: z.enum(ROLE_CHOICES, { error: "Choose a role" }),
});

export const changeRoleSchema = z.object({
  userId: z.uuid("Choose a member"),
  role: z.enum(ROLE_CHOICES, { error: "Choose a role" }),
});

export const revokeInvitationSchema = z.object({ invitationId: z.uuid("Choose an invitation") });

export const removeMemberSchema = z.object({ userId: z.uuid("Choose a member") });

export const createKeySchema = z.object({
  name: z.string().trim().min(1, "Name the key (where it is used)").max(100, "Keep the name under 100 characters"),
  scope: z.enum(["report", "read"], { error: "Choose report or read" }),
});

export const revokeKeySchema = z.object({ keyId: z.uuid("Choose a key") });

export const deleteWorkspaceSchema = z.object({
  confirmSlug: z.string().trim().min(1, "Type the workspace's slug to confirm"),
});
