import { z } from "zod";

/** What a ping says happened, from its URL's last segment. */
export type PingAction = { kind: "success" } | { kind: "start" } | { kind: "fail" } | { kind: "log" } | { kind: "exit"; code: number };

/** Which job a ping is for: a job's own ping UUID, or a ping key (ingest key or shared secret) with the job's slug. */
export type PingTarget = { uuid: string } | { pingKey: string; slug: string };

export type PingUrl = { target: PingTarget; action: PingAction };

/** Healthchecks' refusals, word for word: scripts written for it may match on them. */
export const PING_ERRORS = {
  badUrl: "invalid url format",
  badRid: "invalid uuid format",
  notFound: "not found",
} as const;

const UUID = z.uuid();
const SLUG = /^[a-z0-9_-]+$/;
/** Django's slug converter, which Healthchecks' URLs use before they check the case. */
const ANY_CASE_SLUG = /^[A-Za-z0-9_-]+$/;

function actionOf(segment: string | undefined): PingAction | "bad" | null {
  if (segment === undefined) return { kind: "success" };
  if (segment === "start" || segment === "fail" || segment === "log") return { kind: segment };
  if (/^\d+$/.test(segment)) {
    const code = Number(segment);
    return code <= 255 ? { kind: "exit", code } : "bad";
  }
  return null;
}

/**
 * The ping URL's parts after /ping/, read the way Healthchecks' URL patterns match them: a UUID
 * first, else a ping key and a slug. An unknown shape is `notFound` (no such URL); a known shape
 * with a bad value, such as an uppercase slug or an exit status over 255, is `badUrl`.
 */
export function parsePingUrl(segments: string[]): PingUrl | { error: keyof typeof PING_ERRORS } {
  const [first, second, third, ...rest] = segments;
  if (!first || rest.length > 0) return { error: "notFound" };
  if (UUID.safeParse(first).success && third === undefined) {
    const action = actionOf(second);
    if (action === "bad") return { error: "badUrl" };
    if (action) return { target: { uuid: first.toLowerCase() }, action };
  }
  if (second === undefined || !ANY_CASE_SLUG.test(first) || !ANY_CASE_SLUG.test(second)) return { error: "notFound" };
  if (!SLUG.test(second)) return { error: "badUrl" };
  const action = actionOf(third);
  if (action === "bad") return { error: "badUrl" };
  if (!action) return { error: "notFound" };
  return { target: { pingKey: first, slug: second }, action };
}

/** `?rid=` pairs a start with its end; it must be a UUID when given. */
export function parseRid(value: string | null): { rid: string | null } | { error: "badRid" } {
  if (value === null) return { rid: null };
  return UUID.safeParse(value).success ? { rid: value.toLowerCase() } : { error: "badRid" };
}
