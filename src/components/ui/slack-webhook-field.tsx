import { Field } from "./field";

/** A Slack incoming webhook's URL. Write-only: it starts empty, and the browser offers no saved one. */
export function SlackWebhookField({ label, error, hint }: { label: string; error?: string; hint: string }) {
  return <Field label={label} name="slackWebhookUrl" error={error} hint={hint} type="url" autoComplete="off" placeholder="https://hooks.slack.com/services/…" />;
}
