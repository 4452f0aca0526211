import { diff } from "../audit/diff";
import { recordAudit } from "../audit/record";
import type { Tx } from "../db/transactions";
import { AppError, CHECK_VIOLATION, INSUFFICIENT_PRIVILEGE, UNIQUE_VIOLATION, rethrowDenied, sqlState } from "../errors";
import type { Actor } from "../auth/actor";
import { listHttpSecretNames, secretNotAllowedFor } from "../secrets/http-secrets";
import { maskHeaderValues, referencedSecrets } from "../secrets/references";
import type { JobValues } from "./definition";

const COLUMNS = [
  "job_key", "title", "description", "kind", "http_target", "task_name", "agent_label", "schedule_cron", "schedule_timezone",
  "schedule_period_seconds", "grace_seconds", "timeout_seconds", "max_retries", "concurrency_policy", "enabled",
  "notify_policy", "params_schema", "default_params", "failure_threshold", "recovery_threshold",
  "reminder_hours", "stall_minutes", "min_duration_seconds", "max_duration_seconds", "slow_p95_factor", "slow_p95_runs",
] as const;

type SlackChange = { set?: string; clear?: boolean };

/** What the audit keeps of a job's columns: header values masked, since every member reads it. */
function forAudit(values: Record<string, unknown>): Record<string, unknown> {
  const target = values.http_target as { headers?: Record<string, string> } | null | undefined;
  if (!target?.headers) return values;
  return { ...values, http_target: { ...target, headers: maskHeaderValues(target.headers) } };
}

/** An HTTP job may only refer to secrets the workspace has (admins can list their names). */
async function assertSecretsExist(tx: Tx, workspaceId: string, values: JobValues): Promise<void> {
  if (!values.http_target) return;
  const names = referencedSecrets(values.http_target.headers as Record<string, string>);
  if (names.length === 0) return;
  const known = new Map((await listHttpSecretNames(tx, workspaceId)).map((secret) => [secret.name, secret.allowed_hosts]));
  const missing = names.filter((name) => !known.has(name));
  if (missing.length > 0) {
    throw new AppError("invalid_input", "jobs.secretMissing", { field: "httpHeaders", params: { names: missing.join(", ") } });
  }
  const refused = secretNotAllowedFor(values.http_target.url, names.map((name) => ({ name, allowedHosts: known.get(name)! })));
  if (refused) {
    throw new AppError("invalid_input", "jobs.secretHostRefused", { field: "httpHeaders", params: { name: refused.name, host: refused.host } });
  }
}


function translate(error: unknown): never {
  if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError("conflict", "jobs.keyTaken", { field: "jobKey" });
  if (sqlState(error) === INSUFFICIENT_PRIVILEGE) throw new AppError("forbidden", "jobs.editRefused");
  if (sqlState(error) === CHECK_VIOLATION && (error as { constraint_name?: string }).constraint_name === "jobs_agent_binding") {
    throw new AppError("invalid_input", "jobs.agentLabelNeeded", { field: "agentLabel" });
  }
  throw error;
}

async function applySlack(tx: Tx, workspaceId: string, jobId: string, slack: SlackChange): Promise<string | null> {
  if (slack.set) {
    await tx`
      insert into job_secrets (job_id, workspace_id, slack_webhook_url) values (${jobId}, ${workspaceId}, ${slack.set})
      on conflict (job_id) do update set slack_webhook_url = excluded.slack_webhook_url`;
    return "set";
  }
  if (slack.clear) {
    await tx`delete from job_secrets where job_id = ${jobId} and workspace_id = ${workspaceId}`;
    return "cleared";
  }
  return null;
}

/** Creates a job (admins, under RLS), audited with its settings. */
export async function createJob(tx: Tx, p: { workspaceId: string; values: JobValues; slack: SlackChange; actor: Actor }): Promise<string> {
  await assertSecretsExist(tx, p.workspaceId, p.values);
  try {
    const row = { ...p.values, workspace_id: p.workspaceId, created_by: p.actor.userId };
    const [job] = await tx<{ id: string }[]>`insert into jobs ${tx(row as never, ...COLUMNS, "workspace_id", "created_by")} returning id`;
    const slack = await applySlack(tx, p.workspaceId, job!.id, p.slack);
    // The webhook URL is a secret: the audit says it was set, never what it is.
    await recordAudit(tx, p, {
      action: "job.created", targetType: "job", targetId: job!.id,
      detail: { after: forAudit(p.values), ...(slack ? { slack_webhook_url: slack } : {}) },
    });
    return job!.id;
  } catch (error) {
    translate(error);
  }
}

/** Edits a job (admins, under RLS), audited with a before/after of what changed. */
export async function updateJob(
  tx: Tx,
  p: { workspaceId: string; jobId: string; values: JobValues; slack: SlackChange; actor: Actor },
): Promise<void> {
  const [before] = await tx<Record<string, unknown>[]>`
    select ${tx(COLUMNS as unknown as string[])} from jobs where id = ${p.jobId} and workspace_id = ${p.workspaceId}`;
  if (!before) throw new AppError("not_found", "jobs.notFound");
  await assertSecretsExist(tx, p.workspaceId, p.values);
  try {
    const updated = await tx`
      update jobs set ${tx(p.values as never, ...COLUMNS)}
      where id = ${p.jobId} and workspace_id = ${p.workspaceId}
      returning id`;
    if (updated.length === 0) throw new AppError("forbidden", "jobs.editRefused");
    const slack = await applySlack(tx, p.workspaceId, p.jobId, p.slack);
    const changes = diff(before, p.values as unknown as Record<string, unknown>);
    await recordAudit(tx, p, {
      action: "job.updated", targetType: "job", targetId: p.jobId,
      detail: { before: forAudit(changes.before), after: forAudit(changes.after), ...(slack ? { slack_webhook_url: slack } : {}) },
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    translate(error);
  }
}

/**
 * Deletes a job with its runs and incidents (admins, under RLS), after the admin typed its key.
 * The audit entry is written first and keeps what the job was: the job itself is gone after.
 */
export async function deleteJob(tx: Tx, p: { workspaceId: string; jobId: string; confirmKey: string; actor: Actor }): Promise<void> {
  const [job] = await tx<{ job_key: string; title: string; kind: string; runs: number }[]>`
    select j.job_key, j.title, j.kind, (select count(*)::int from runs r where r.job_id = j.id) as runs
    from jobs j where j.id = ${p.jobId} and j.workspace_id = ${p.workspaceId}`;
  if (!job) throw new AppError("not_found", "jobs.notFound");
  if (job.job_key !== p.confirmKey) throw new AppError("invalid_input", "confirm.typeToConfirm", { field: "confirmKey", params: { value: job.job_key } });
  await recordAudit(tx, p, {
    action: "job.deleted", targetType: "job", targetId: p.jobId,
    detail: { before: { job_key: job.job_key, title: job.title, kind: job.kind }, runs_deleted: job.runs },
  }).catch((error: unknown) => rethrowDenied(error, "jobs.deleteRefused")); // the database records deletions by admins only
  const deleted = await tx`delete from jobs where id = ${p.jobId} and workspace_id = ${p.workspaceId} returning id`;
  if (deleted.length === 0) throw new AppError("forbidden", "jobs.deleteRefused");
}
