import { z } from "zod";
import type { JobKind } from "./health";

// What an HTTP job is: the request it sends, and the bounds it runs in. The executor sends it
// (src/server/execution/targets.ts); the job form and the job page show it.
export const httpTargetSchema = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
  url: z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL" }),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "Header names are letters, digits and dashes"), z.string().max(1000)).default({}),
});
export type HttpTarget = z.infer<typeof httpTargetSchema>;

// An HTTP job reads at most this much of a response; an endless body must not fill memory.
export const HTTP_MAX_BODY_BYTES = 1024 * 1024;
// Without a timeout of its own an HTTP job gets this one; none may wait longer than the maximum
// (an Inngest step on Vercel ends at 300 s).
export const HTTP_DEFAULT_TIMEOUT_SECONDS = 60;
export const HTTP_MAX_TIMEOUT_SECONDS = 300;

/** The timeout an attempt runs under: the job's own, and for HTTP jobs a default and a cap. */
export function effectiveTimeoutSeconds(job: { kind: JobKind; timeout_seconds: number | null }): number | null {
  if (job.kind !== "http") return job.timeout_seconds;
  return Math.min(job.timeout_seconds ?? HTTP_DEFAULT_TIMEOUT_SECONDS, HTTP_MAX_TIMEOUT_SECONDS);
}

/** GET and DELETE carry no body: their parameters travel in the query string. */
const QUERY_METHODS = new Set(["GET", "DELETE"]);

/**
 * The request an HTTP job sends with these parameters: a JSON body, or for GET and DELETE the
 * parameters added to the URL's query (text as it is, anything else as JSON). Shown on the job
 * page as it will go.
 */
export function httpRequestFor(target: Pick<HttpTarget, "method" | "url">, params: Record<string, unknown>): { url: string; body: string | undefined } {
  if (!QUERY_METHODS.has(target.method)) return { url: target.url, body: JSON.stringify(params) };
  const url = new URL(target.url);
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    url.searchParams.set(name, typeof value === "string" ? value : JSON.stringify(value));
  }
  return { url: url.toString(), body: undefined };
}
