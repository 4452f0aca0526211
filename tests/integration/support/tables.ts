// Every table in `public`, with the column that ties its rows to a workspace: the RLS tests
// walk this list, and fail when a table is added without being added here.
export const WORKSPACE_COLUMN: Record<string, string> = {
  workspaces: "id",
  memberships: "workspace_id",
  jobs: "workspace_id",
  runs: "workspace_id",
  incidents: "workspace_id",
  ingest_keys: "workspace_id",
  audit_log: "workspace_id",
  workspace_secrets: "workspace_id",
  run_attempts: "workspace_id",
  job_secrets: "workspace_id",
  workspace_http_secrets: "workspace_id",
  alerts: "workspace_id",
  agents: "workspace_id",
  invitations: "workspace_id",
  run_stats_hourly: "workspace_id",
  workspace_stats_hourly: "workspace_id",
  maintenance_windows: "workspace_id",
  agent_incidents: "workspace_id",
};

/** Tables only the service role uses: no member reads a row of them. */
export const SERVICE_ONLY = ["schedule_due_times", "job_ping_urls", "tick_heartbeats"];

/** A column of each service-only table, for statements that name one (job_id where none is given). */
export const SERVICE_ONLY_COLUMN: Record<string, string> = { tick_heartbeats: "runner" };

/** Workspace tables a viewer reads none of: secrets, keys and invitations. */
export const HIDDEN_FROM_VIEWERS = ["workspace_secrets", "job_secrets", "workspace_http_secrets", "ingest_keys", "invitations"];
