// One way to POST JSON to the hub with a bearer token, shared by reports, the spool and the agent.
import { cleanJson } from "../lib/clean-text";

export const REPORT_PATH = "/api/monitor/job-report";

/** What a POST came to: taken, refused for good (4xx), or worth trying again (network, 5xx, 408, 429). */
export type HubAnswer =
  | { kind: "ok"; status: number; body: unknown }
  | { kind: "refused"; status: number; error: string; hubError: string; body: unknown }
  | { kind: "unavailable"; status: number | null; error: string; retryAfterMs: number | null };

export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * The hub's base URL, as the spool records it: no trailing slash, and a full report endpoint URL
 * (TC_PORTAL_MONITOR_URL's form) cut back to its base.
 */
export function hubBaseUrl(hubUrl: string): string {
  const url = new URL(hubUrl);
  url.search = "";
  url.hash = "";
  let pathname = url.pathname.replace(/\/+$/, "");
  if (pathname.endsWith(REPORT_PATH)) pathname = pathname.slice(0, -REPORT_PATH.length);
  url.pathname = pathname || "/";
  return url.toString().replace(/\/+$/, "");
}

/** The URL of one of the hub's endpoints (`/api/agent/claim`, …) under its base URL. */
export function endpointUrl(hubUrl: string, endpoint: string): string {
  return `${hubBaseUrl(hubUrl)}${endpoint}`;
}

function problemOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return "no answer in time";
  if (error.name === "AbortError") return "aborted";
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    return cause.message || (cause as NodeJS.ErrnoException).code || error.message;
  }
  return error.message;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export type PostOptions = {
  token?: string;
  timeoutMs: number;
  /** Ends the request early (the agent stopping); the answer is then `unavailable`. */
  signal?: AbortSignal;
};

/** One POST; never throws. The error of a refusal is the hub's `error` field, or its text. */
export async function postJson(url: string, body: unknown, options: PostOptions): Promise<HubAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException("timed out", "TimeoutError")), Math.max(1, options.timeoutMs));
  const onAbort = () => timeout.abort(new DOMException("aborted", "AbortError"));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // A command's output goes as the hub can store it, whatever hub version answers.
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(cleanJson(body)), signal: timeout.signal });
    const text = await response.text().catch(() => "");
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.ok) return { kind: "ok", status: response.status, body: parsed };
    const hubError =
      parsed && typeof parsed === "object" && typeof (parsed as { error?: unknown }).error === "string"
        ? (parsed as { error: string }).error
        : text.trim().slice(0, 200);
    const error = `HTTP ${response.status}${hubError ? ` ${hubError}` : ""}`;
    if (isRetryableStatus(response.status)) {
      return { kind: "unavailable", status: response.status, error, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) };
    }
    return { kind: "refused", status: response.status, error, hubError, body: parsed };
  } catch (error) {
    const reason = timeout.signal.aborted ? timeout.signal.reason : error;
    return { kind: "unavailable", status: null, error: problemOf(reason), retryAfterMs: null };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * A POST tried briefly: at once, then again after 250 ms, 500 ms, 1 s, … (at most 5 s apart)
 * while `totalMs` lasts: four tries in the default 3 s. Used for reports and finishes, which go
 * to the spool rather than keep a finished command waiting on the hub.
 */
export async function postBriefly(url: string, body: unknown, options: PostOptions & { totalMs: number }): Promise<HubAnswer> {
  const deadline = Date.now() + options.totalMs;
  let pause = 250;
  for (;;) {
    const remaining = deadline - Date.now();
    const answer = await postJson(url, body, { ...options, timeoutMs: Math.max(1, Math.min(options.timeoutMs, remaining)) });
    if (answer.kind !== "unavailable" || options.signal?.aborted) return answer;
    if (Date.now() + pause >= deadline) return answer;
    await sleep(pause, options.signal);
    pause = Math.min(pause * 2, 5000);
  }
}
