import { getTask } from "../tasks";
import type { TaskContext } from "../tasks/registry";
import { tailBytes } from "../ingest/truncate";
import { secretNotAllowedFor, type HttpSecretValue } from "../secrets/http-secrets";
import { referencedSecrets, resolveSecretReferences } from "../secrets/references";
import { EgressRefused, egressPolicy, guardedRequest, type GuardedResponse } from "../egress";
import { HTTP_MAX_BODY_BYTES, httpRequestFor, httpTargetSchema, type HttpTarget } from "../jobs/http-target";
import { abortedOutcome, type AttemptOutcome } from "./outcome";

const LOG_TAIL_BYTES = 16 * 1024;

export type ExecutableJob = {
  kind: "reported" | "http" | "task" | "agent";
  http_target: unknown;
  task_name: string | null;
};

const tail = (text: string) => tailBytes(text, LOG_TAIL_BYTES).value;

async function callHttp(target: HttpTarget, params: Record<string, unknown>, signal: AbortSignal): Promise<AttemptOutcome> {
  let response: GuardedResponse;
  const request = httpRequestFor(target, params);
  try {
    response = await guardedRequest(
      request.url,
      {
        method: target.method,
        headers: { ...(request.body === undefined ? {} : { "content-type": "application/json" }), "user-agent": "Jobboard", ...target.headers },
        body: request.body,
        signal,
        maxBodyBytes: HTTP_MAX_BODY_BYTES,
        keepTailBytes: LOG_TAIL_BYTES,
      },
      egressPolicy(),
    );
  } catch (error) {
    const aborted = abortedOutcome(signal, null);
    if (aborted) return aborted;
    if (error instanceof EgressRefused) {
      return { status: "failed", exitCode: null, message: error.message, log: null, stderr: null, isRetryable: false };
    }
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code && !(error as Error).message.includes(code) ? `${(error as Error).message} (${code})` : (error as Error).message;
    return { status: "failed", exitCode: null, message: `Request failed: ${reason}`, log: null, stderr: null, isRetryable: true };
  }
  // The note goes last: the log keeps the end of what it is given.
  const body = response.isTruncated ? `${response.body}\n[… the body went past ${HTTP_MAX_BODY_BYTES} bytes: the rest was not read]` : response.body;
  const isOk = response.status >= 200 && response.status < 300;
  const log = tail(`HTTP ${response.status} ${response.statusText}\n${body}`);
  // The code is the response's status, success or not: the job's kind reads it as "HTTP 200".
  if (isOk) return { status: "succeeded", exitCode: response.status, message: `HTTP ${response.status}`, log, stderr: null, isRetryable: false };
  return {
    status: "failed",
    exitCode: response.status,
    message: `HTTP ${response.status} ${response.statusText}`.trim(),
    log,
    stderr: body ? tail(body) : null,
    // A 4xx other than 408/429 means the request itself is wrong: retrying will not help.
    isRetryable: response.status >= 500 || response.status === 408 || response.status === 429,
  };
}

async function runTask(name: string | null, params: Record<string, unknown>, context: TaskContext): Promise<AttemptOutcome> {
  const task = getTask(name);
  if (!task) return { status: "failed", exitCode: null, message: `Unknown task "${name ?? ""}"`, log: null, stderr: null, isRetryable: false };
  const parsed = task.params.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "params"}: ${issue.message}`).join("; ");
    return { status: "failed", exitCode: null, message: `Invalid parameters: ${problems}`, log: null, stderr: null, isRetryable: false };
  }
  const lines: string[] = [];
  try {
    const result = await task.run(parsed.data, { ...context, log: (line) => lines.push(line) });
    return { status: "succeeded", exitCode: 0, message: result?.message ?? "Done", log: tail(lines.join("\n")), stderr: null, isRetryable: false };
  } catch (error) {
    const aborted = abortedOutcome(context.signal, tail(lines.join("\n")));
    if (aborted) return aborted;
    const err = error as Error;
    return { status: "failed", exitCode: 1, message: err.message, log: tail(lines.join("\n")), stderr: tail(err.stack ?? err.message), isRetryable: true };
  }
}

/** A target that echoes a header back must not put the secret into the run's log. */
function redactSecrets(outcome: AttemptOutcome, values: Record<string, string>): AttemptOutcome {
  const entries = Object.entries(values).filter(([, value]) => value.length >= 4);
  if (entries.length === 0) return outcome;
  const redact = (text: string | null) =>
    text === null ? null : entries.reduce((result, [name, value]) => result.split(value).join(`[secret ${name}]`), text);
  return { ...outcome, message: redact(outcome.message) ?? outcome.message, log: redact(outcome.log), stderr: redact(outcome.stderr) };
}

/** Looks up the workspace's HTTP secrets by name, at call time (never stored with the run). */
export type SecretResolver = (names: string[]) => Promise<Record<string, HttpSecretValue>>;

/** Runs a job's target once: its HTTP call or its task, stopped by `signal` (timeout, cancel). */
export async function runTarget(
  job: ExecutableJob,
  params: Record<string, unknown>,
  context: Omit<TaskContext, "log"> & { resolveSecrets?: SecretResolver },
): Promise<AttemptOutcome> {
  if (job.kind === "http") {
    const target = httpTargetSchema.safeParse(job.http_target);
    if (!target.success) return { status: "failed", exitCode: null, message: "The job's HTTP target is invalid", log: null, stderr: null, isRetryable: false };
    const names = referencedSecrets(target.data.headers);
    const secrets = names.length > 0 && context.resolveSecrets ? await context.resolveSecrets(names) : {};
    const values = Object.fromEntries(Object.entries(secrets).map(([name, secret]) => [name, secret.value]));
    const resolved = resolveSecretReferences(target.data.headers, values);
    if (!resolved.ok) {
      const message = `Header ${resolved.header} uses the secret ${resolved.secret}, which is not set in this workspace (Settings → HTTP secrets)`;
      return { status: "failed", exitCode: null, message, log: null, stderr: null, isRetryable: false };
    }
    const refused = secretNotAllowedFor(target.data.url, Object.entries(secrets).map(([name, secret]) => ({ name, allowedHosts: secret.allowedHosts })));
    if (refused) {
      const where = refused.allowedHosts.length > 0 ? `only to ${refused.allowedHosts.join(", ")}` : "nowhere yet (set its hosts under Settings → HTTP secrets)";
      const message = `The secret ${refused.name} may be sent ${where}; this job calls ${refused.host}`;
      return { status: "failed", exitCode: null, message, log: null, stderr: null, isRetryable: false };
    }
    const outcome = await callHttp({ ...target.data, headers: resolved.headers }, params, context.signal);
    return redactSecrets(outcome, values);
  }
  if (job.kind === "task") return runTask(job.task_name, params, { ...context, log: () => {} });
  return { status: "failed", exitCode: null, message: "This job runs outside Jobboard's server (reported, or on an agent)", log: null, stderr: null, isRetryable: false };
}
