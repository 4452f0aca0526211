import { EgressRefused, egressPolicy, guardedRequest, slackWebhookProblem } from "../egress";

export type SlackMessage = { text: string; blocks: Record<string, unknown>[] };
/** `isPermanent`: trying again cannot help (the URL is refused, or Slack says it is wrong). */
export type SlackAnswer = { ok: true } | { ok: false; error: string; isPermanent: boolean };

// Slack answers "ok"; its errors are short words (invalid_payload, no_service).
const ANSWER_BYTES = 4096;

function describeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error).message;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

async function postOnce(webhookUrl: string, message: SlackMessage, timeoutMs: number): Promise<SlackAnswer> {
  const policy = egressPolicy();
  const urlProblem = slackWebhookProblem(webhookUrl, policy);
  if (urlProblem) return { ok: false, error: urlProblem, isPermanent: true };
  try {
    const answer = await guardedRequest(
      webhookUrl,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Jobboard" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
        maxBodyBytes: ANSWER_BYTES,
        keepTailBytes: ANSWER_BYTES,
      },
      policy,
    );
    if (answer.status >= 200 && answer.status < 300) return { ok: true };
    const error = `Slack answered HTTP ${answer.status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ""}`;
    // 404/410 (no such hook) and 400/403 (refused payload, revoked hook) will not change by waiting.
    return { ok: false, error, isPermanent: answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429 };
  } catch (caught) {
    if (caught instanceof EgressRefused) return { ok: false, error: caught.message, isPermanent: true };
    return { ok: false, error: describeFailure(caught), isPermanent: false };
  }
}

/**
 * Posts a message to a Slack incoming webhook through the egress guard, trying `attempts` times
 * with backoff. Never throws: an alert that cannot be delivered must not fail what it is about.
 */
export async function sendToSlack(
  webhookUrl: string,
  message: SlackMessage,
  options: { timeoutMs?: number; attempts?: number; backoffMs?: number } = {},
): Promise<SlackAnswer> {
  const attempts = options.attempts ?? 3;
  let answer: SlackAnswer = { ok: false, error: "not tried", isPermanent: false };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    answer = await postOnce(webhookUrl, message, options.timeoutMs ?? 10_000);
    if (answer.ok || answer.isPermanent) return answer;
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 1000) * 2 ** (attempt - 1)));
  }
  return answer;
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
