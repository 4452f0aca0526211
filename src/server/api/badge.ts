import type { BadgeRow } from "./queries";

export const BADGE_STATUSES = ["passing", "failing", "missed", "paused", "unknown"] as const;
export type BadgeStatus = (typeof BADGE_STATUSES)[number];

/**
 * The badge's word for a job. Like the job's health, but a run in progress keeps the last
 * outcome showing (a badge should not flicker to "unknown" whenever the job runs), and canceled
 * or skipped runs are not outcomes.
 */
export function badgeStatus(state: BadgeRow): BadgeStatus {
  if (state.paused || !state.enabled) return "paused";
  if (state.incident_kind === "missed") return "missed";
  if (state.incident_kind) return "failing";
  if (state.last_finished_status === "succeeded") return "passing";
  if (state.last_finished_status === "failed" || state.last_finished_status === "timed_out") return "failing";
  return "unknown";
}

// White text on each of these has at least 4.5:1 contrast (WCAG AA), unlike the usual shield greens.
export const BADGE_COLORS: Record<BadgeStatus | "not found", string> = {
  passing: "#1a7f37",
  failing: "#cf222e",
  missed: "#9a4d00",
  paused: "#57606a",
  unknown: "#57606a",
  "not found": "#57606a",
};
const LABEL_COLOR = "#24292f";
const LABEL = "jobboard";

// Advance widths of Verdana at 11 px, the shields.io face, for the few letters badges use.
const WIDTHS: Record<string, number> = {
  a: 6.8, b: 6.9, c: 5.9, d: 6.9, e: 6.6, f: 3.9, g: 6.9, h: 7, i: 3, j: 3.8, k: 6.5, l: 3, m: 10.7,
  n: 7, o: 6.7, p: 6.9, q: 6.9, r: 4.7, s: 5.7, t: 4.3, u: 7, v: 6.5, w: 9, x: 6.5, y: 6.5, z: 5.8, " ": 3.5,
};
const textWidth = (text: string) => Math.round([...text].reduce((sum, char) => sum + (WIDTHS[char] ?? 7), 0));

/**
 * A flat shield, "jobboard | <message>". The text is fixed vocabulary, never user data, so the
 * SVG needs no escaping; <title> and aria-label name it for screen readers.
 */
export function renderBadge(message: BadgeStatus | "not found"): string {
  const padding = 6;
  const labelWidth = textWidth(LABEL) + 2 * padding;
  const messageWidth = textWidth(message) + 2 * padding;
  const width = labelWidth + messageWidth;
  const name = `${LABEL}: ${message}`;
  const color = BADGE_COLORS[message];
  // Text is drawn at 10x and scaled down, as shields.io does, for crisp sub-pixel positions.
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${name}">`,
    `<title>${name}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)">`,
    `<rect width="${labelWidth}" height="20" fill="${LABEL_COLOR}"/>`,
    `<rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${color}"/>`,
    `<rect width="${width}" height="20" fill="url(#s)"/>`,
    `</g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="110" text-rendering="geometricPrecision">`,
    `<text x="${labelWidth * 5}" y="140" transform="scale(.1)" textLength="${(labelWidth - 2 * padding) * 10}">${LABEL}</text>`,
    `<text x="${(labelWidth + messageWidth / 2) * 10}" y="140" transform="scale(.1)" textLength="${(messageWidth - 2 * padding) * 10}">${message}</text>`,
    `</g>`,
    `</svg>`,
  ].join("");
}
