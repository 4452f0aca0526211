import type { HubOptions } from "./options";

export type ReportPayload = Record<string, unknown> & { job_key: string };

const REPORT_PATH = "/api/monitor/job-report";

/** The report endpoint: a base URL gets the path added; a full endpoint URL is used as given. */
export function reportUrl(hubUrl: string): string {
  const url = new URL(hubUrl);
  if (!url.pathname.endsWith(REPORT_PATH)) url.pathname = `${url.pathname.replace(/\/+$/, "")}${REPORT_PATH}`;
  return url.toString();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isRetryable(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * Sends a report, retrying network failures and 5xx with backoff until the hub timeout runs
 * out. Never throws: the answer is a warning to print, or null when the hub took the report.
 */
export async function sendReport(options: HubOptions, payload: ReportPayload): Promise<string | null> {
  const deadline = Date.now() + options.hubTimeoutMs;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let delay = 250;
  let lastProblem = "no attempt made";
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      const response = await fetch(reportUrl(options.hubUrl), {
        method: "POST",
        headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(remaining),
      });
      if (response.ok) return null;
      const detail = await response.text().catch(() => "");
      lastProblem = `HTTP ${response.status} ${detail.slice(0, 200)}`.trim();
      if (!isRetryable(response.status)) return `the hub refused the ${payload.event ?? "finish"} report: ${lastProblem}`;
    } catch (error) {
      lastProblem = (error as Error).cause ? String((error as Error & { cause: unknown }).cause) : (error as Error).message;
    }
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) break;
    await sleep(wait);
    delay = Math.min(delay * 2, 5000);
  }
  return `could not reach the hub for the ${payload.event ?? "finish"} report within the hub timeout (${lastProblem})`;
}
