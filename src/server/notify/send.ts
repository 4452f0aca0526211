import { IncomingWebhook } from "@slack/webhook";

/** Slack's client wraps the network error; the code inside (ECONNREFUSED, a timeout) is what helps. */
function describeFailure(error: unknown): string {
  const original = (error as { original?: { cause?: { code?: string; message?: string }; message?: string } }).original;
  const cause = original?.cause?.code ?? original?.cause?.message;
  const message = (error as Error).message;
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

export type SlackMessage = { text: string; blocks: Record<string, unknown>[] };
export type SlackAnswer = { ok: true } | { ok: false; error: string };

/**
 * Posts a message to a Slack incoming webhook, trying `attempts` times with backoff. Never
 * throws: an alert that cannot be delivered must not fail what it is about.
 */
export async function sendToSlack(
  webhookUrl: string,
  message: SlackMessage,
  options: { timeoutMs?: number; attempts?: number; backoffMs?: number } = {},
): Promise<SlackAnswer> {
  const attempts = options.attempts ?? 3;
  const webhook = new IncomingWebhook(webhookUrl, { timeout: options.timeoutMs ?? 10_000 });
  let error = "not tried";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      // Our builders produce Block Kit as plain data; Slack validates it.
      await webhook.send(message as unknown as Parameters<IncomingWebhook["send"]>[0]);
      return { ok: true };
    } catch (caught) {
      error = describeFailure(caught);
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 1000) * 2 ** (attempt - 1)));
    }
  }
  return { ok: false, error };
}

/** sendToSlack, answering only whether Slack took the message. */
export async function postToSlack(
  webhookUrl: string,
  message: SlackMessage,
  options: { timeoutMs?: number; backoffMs?: number } = {},
): Promise<boolean> {
  const answer = await sendToSlack(webhookUrl, message, options);
  if (!answer.ok) console.warn(`Slack notification failed: ${answer.error}`);
  return answer.ok;
}
