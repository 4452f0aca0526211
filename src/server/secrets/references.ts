// `{{secrets.NAME}}` inside an HTTP job's header values: resolved from the workspace's HTTP
// secrets when the job runs, so the token never sits in the job's definition.
const REFERENCE = /\{\{\s*secrets\.([A-Z][A-Z0-9_]{0,63})\s*\}\}/g;

export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Every secret name the headers refer to, once each. */
export function referencedSecrets(headers: Record<string, string>): string[] {
  const names = new Set<string>();
  for (const value of Object.values(headers)) for (const match of value.matchAll(REFERENCE)) names.add(match[1]!);
  return [...names];
}

/** Headers with each reference replaced, or the first header whose secret is missing. */
export function resolveSecretReferences(
  headers: Record<string, string>,
  values: Record<string, string>,
): { ok: true; headers: Record<string, string> } | { ok: false; header: string; secret: string } {
  const resolved: Record<string, string> = {};
  for (const [header, value] of Object.entries(headers)) {
    for (const match of value.matchAll(REFERENCE)) {
      if (!(match[1]! in values)) return { ok: false, header, secret: match[1]! };
    }
    resolved[header] = value.replace(REFERENCE, (_, name: string) => values[name]!);
  }
  return { ok: true, headers: resolved };
}

const REFERENCE_ONLY = /^(?:(?:Bearer|Basic|Token)\s+)?\{\{\s*secrets\.[A-Z][A-Z0-9_]{0,63}\s*\}\}$/;
export const MASKED = "••••";

/**
 * Header values as people other than the job's editors see them: a `{{secrets.NAME}}`
 * reference is no secret and stays; any other value may be a literal token and is masked.
 */
export function maskHeaderValues(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, REFERENCE_ONLY.test(value.trim()) ? value : MASKED]));
}
