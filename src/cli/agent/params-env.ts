/**
 * A run's parameters reach its command as environment variables, never as shell text:
 * JOBBOARD_PARAMS holds the whole object as JSON, and each top-level key also becomes
 * JOBBOARD_PARAM_<NAME> (upper-cased, anything but letters and digits turned into `_`),
 * strings as they are and other values as JSON.
 */

export type Env = Record<string, string | undefined>;

export function paramEnvName(key: string): string {
  return `JOBBOARD_PARAM_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export function paramsEnv(params: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = { JOBBOARD_PARAMS: JSON.stringify(params) };
  for (const [key, value] of Object.entries(params)) {
    env[paramEnvName(key)] = typeof value === "string" ? value : (JSON.stringify(value) ?? "null");
  }
  return env;
}

/** Variables of the agent's own environment a command must not inherit. */
function isWithheld(name: string): boolean {
  const upper = name.toUpperCase();
  // The agent's token is for the agent; a stale parameter would look like one of this run's.
  return upper === "JOBBOARD_AGENT_TOKEN" || upper === "JOBBOARD_PARAMS" || upper.startsWith("JOBBOARD_PARAM_");
}

/** Sets a variable; on Windows names are case-insensitive, so `Path` and `PATH` are one variable. */
function assign(env: Record<string, string>, name: string, value: string, caseInsensitive: boolean): void {
  if (caseInsensitive) {
    for (const existing of Object.keys(env)) {
      if (existing !== name && existing.toUpperCase() === name.toUpperCase()) delete env[existing];
    }
  }
  env[name] = value;
}

/**
 * The environment of a run's command: the agent's environment, then the job's `env` from the
 * config, then the parameters, then the run's own JOBBOARD_RUN_ID, JOBBOARD_JOB_KEY and
 * JOBBOARD_HUB_URL, each layer winning over the one before.
 */
export function runEnv(p: {
  base: Env;
  jobEnv: Record<string, string>;
  params: Record<string, unknown>;
  runId: string;
  jobKey: string;
  hubUrl: string;
  platform?: NodeJS.Platform;
}): Record<string, string> {
  const caseInsensitive = (p.platform ?? process.platform) === "win32";
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.base)) {
    if (value !== undefined && !isWithheld(name)) assign(env, name, value, caseInsensitive);
  }
  for (const [name, value] of Object.entries(p.jobEnv)) assign(env, name, value, caseInsensitive);
  for (const [name, value] of Object.entries(paramsEnv(p.params))) assign(env, name, value, caseInsensitive);
  assign(env, "JOBBOARD_RUN_ID", p.runId, caseInsensitive);
  assign(env, "JOBBOARD_JOB_KEY", p.jobKey, caseInsensitive);
  assign(env, "JOBBOARD_HUB_URL", p.hubUrl, caseInsensitive);
  return env;
}
