import { isIP } from "node:net";
import { isHostAllowed, type EgressPolicy } from "./policy";

const SLACK_HOST = "hooks.slack.com";

/**
 * Why a URL cannot be a Slack webhook here, or null: Slack's own host over https, or a host the
 * operator allowed (a Mattermost server, a test's stand-in) by JOBBOARD_EGRESS_ALLOW.
 */
export function slackWebhookProblem(rawUrl: string, policy: EgressPolicy): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return "Enter the webhook's full URL";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const isAllowed = isHostAllowed(host, policy) || (isIP(host) > 0 && policy.allowNetworks.check(host, isIP(host) === 4 ? "ipv4" : "ipv6"));
  if (isAllowed) return null;
  if (url.protocol === "https:" && host.toLowerCase() === SLACK_HOST) return null;
  return `Slack webhook URLs start with https://${SLACK_HOST}/ (other hosts must be allowed by JOBBOARD_EGRESS_ALLOW)`;
}
