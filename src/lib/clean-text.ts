// Text from outside Jobboard (a script's output, a report, an agent's call) as PostgreSQL can
// store it. Its text and jsonb refuse NUL, and jsonb refuses a lone UTF-16 surrogate (which
// JSON.parse accepts as "\ud800"): either would cost a whole report, heartbeat or finish.
// Plain and browser-safe, so the hub and the bundled CLI share the one rule.

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drops NUL characters and replaces each lone surrogate with U+FFFD, as a UTF-8 decoder does. */
export function cleanText(text: string): string {
  return text.replace(NUL, "").replace(LONE_SURROGATE, "\uFFFD");
}

/** cleanText applied to every string of a JSON value, object keys included. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [cleanText(key), cleanJson(item)]));
  }
  return value;
}

/** JSON.parse whose strings are already clean: the one way a machine route reads a JSON body. */
export function parseCleanJson(text: string): unknown {
  return cleanJson(JSON.parse(text));
}
