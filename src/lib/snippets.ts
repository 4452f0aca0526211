/**
 * `jobboard run` from the CLI this server hands out: the package is not on a public registry,
 * so `npx jobboard` would find nothing.
 */
export function jobboardRunSnippet(appUrl: string, token: string, options: string): string {
  return [
    `curl -fsSLO ${appUrl}/jobboard.mjs`,
    `export JOBBOARD_HUB_URL=${appUrl} JOBBOARD_TOKEN=${token}`,
    `node jobboard.mjs run ${options} -- ./backup.sh`,
  ].join("\n");
}

/** `value` as one word for a POSIX shell: a report's title goes through it unchanged. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
