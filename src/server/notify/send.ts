import { IncomingWebhook } from "@slack/webhook";

const ATTEMPTS = 3;

/**
 * Posts a message to a Slack incoming webhook, retrying with backoff. Never throws: an alert
 * that cannot be delivered must not fail the run it is about. Says whether Slack took it.
 */
export async function postToSlack(
  webhookUrl: string,
  message: { text: string; blocks: Record<string, unknown>[] },
  options: { timeoutMs?: number; backoffMs?: number } = {},
): Promise<boolean> {
  const webhook = new IncomingWebhook(webhookUrl, { timeout: options.timeoutMs ?? 10_000 });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      // Our builders produce Block Kit as plain data; Slack validates it.
      await webhook.send(message as unknown as Parameters<IncomingWebhook["send"]>[0]);
      return true;
    } catch (error) {
      console.warn(`Slack notification failed (attempt ${attempt} of ${ATTEMPTS}): ${(error as Error).message}`);
      if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 1000) * 2 ** (attempt - 1)));
    }
  }
  return false;
}
