-- Who sends a report: {"key": {"prefix", "hash"}} for an ingest key, {"workspace": {"slug"}} for
-- the shared webhook secret (already checked by the server; a null slug means the first
-- workspace ever made), or {"workspace_id"} for Jobboard's own records. Answers
-- {workspace_id, workspace_slug} or a refusal {refused: http status, error}.
create or replace function private.report_sender(p_auth jsonb) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  v_key ingest_keys%rowtype;
  v_workspace uuid;
begin
  if p_auth ? 'workspace_id' then
    v_workspace := (p_auth->>'workspace_id')::uuid;
    return jsonb_build_object('workspace_id', v_workspace, 'workspace_slug', (select slug from workspaces where id = v_workspace));
  end if;
  if p_auth ? 'key' then
    select * into v_key from ingest_keys where prefix = p_auth->'key'->>'prefix';
    if not found or v_key.secret_hash <> p_auth->'key'->>'hash' then
      return jsonb_build_object('refused', 401, 'error', 'Invalid or missing webhook secret');
    end if;
    if v_key.revoked_at is not null then
      return jsonb_build_object('refused', 401, 'error', 'This ingest key has been revoked');
    end if;
    if v_key.scope <> 'report' then
      return jsonb_build_object('refused', 403, 'error', 'This ingest key can only read; use a report key to send reports');
    end if;
    -- One write a minute is enough for "last used", and spares a hot key a row lock per report.
    if v_key.last_used_at is null or v_key.last_used_at < now() - interval '1 minute' then
      update ingest_keys set last_used_at = now()
      where id = v_key.id and (last_used_at is null or last_used_at < now() - interval '1 minute');
    end if;
    return jsonb_build_object('workspace_id', v_key.workspace_id,
                              'workspace_slug', (select slug from workspaces where id = v_key.workspace_id));
  end if;
  if p_auth->'workspace'->>'slug' is not null then
    select id into v_workspace from workspaces where slug = p_auth->'workspace'->>'slug';
  else
    -- The first workspace ever made, as recorded when it was made: one transaction can make
    -- several with the same created_at.
    select id into v_workspace from workspaces order by creation_order limit 1;
  end if;
  if v_workspace is null then
    return jsonb_build_object('refused', 500, 'error', 'Server configuration error');
  end if;
  return jsonb_build_object('workspace_id', v_workspace, 'workspace_slug', (select slug from workspaces where id = v_workspace));
end;
$$;
