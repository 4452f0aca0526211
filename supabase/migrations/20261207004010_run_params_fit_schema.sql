-- A run queued by a signed-in member carries parameters that fit its job's params_schema, as the
-- app checks before it inserts; so a member talking to the database directly cannot hand a
-- job (or an agent's script) parameters its admins never allowed.
--
-- private.fits_schema checks the JSON Schema keywords that decide shape and range: type,
-- enum, const, properties, required, additionalProperties, min/maxProperties, items,
-- min/maxItems, min/maxLength, minimum, maximum, exclusiveMinimum/Maximum, multipleOf, allOf,
-- anyOf, oneOf and not. Keywords it does not know (format, $ref, ...) are left to the app,
-- which runs the full validator; patterns are refused by both (no user-written regexes run).
create function private.fits_schema(candidate jsonb, schema jsonb, depth int default 0) returns boolean
language plpgsql immutable
set search_path = ''
as $$
declare
  kind text := jsonb_typeof(candidate);
  types jsonb;
  entry record;
  item jsonb;
  matches int;
begin
  if schema is null or jsonb_typeof(schema) = 'boolean' then
    return coalesce(schema::text, 'true') = 'true';
  end if;
  if jsonb_typeof(schema) <> 'object' then
    return true;
  end if;
  -- The app limits a schema to 10 levels; anything deeper is not a schema it accepted.
  if depth > 32 then
    return false;
  end if;

  types := schema -> 'type';
  if types is not null then
    if jsonb_typeof(types) <> 'array' then
      types := jsonb_build_array(types);
    end if;
    if not (
      types ? kind
      or (kind = 'number' and types ? 'integer' and candidate::text::numeric = trunc(candidate::text::numeric))
    ) then
      return false;
    end if;
  end if;

  if schema ? 'enum' and jsonb_typeof(schema -> 'enum') = 'array'
     and not exists (select 1 from jsonb_array_elements(schema -> 'enum') e where e = candidate) then
    return false;
  end if;
  if schema ? 'const' and (schema -> 'const') <> candidate then
    return false;
  end if;

  if kind = 'number' then
    if jsonb_typeof(schema -> 'minimum') = 'number' and candidate::text::numeric < (schema ->> 'minimum')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'maximum') = 'number' and candidate::text::numeric > (schema ->> 'maximum')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'exclusiveMinimum') = 'number' and candidate::text::numeric <= (schema ->> 'exclusiveMinimum')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'exclusiveMaximum') = 'number' and candidate::text::numeric >= (schema ->> 'exclusiveMaximum')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'multipleOf') = 'number' and (schema ->> 'multipleOf')::numeric > 0
       and mod(candidate::text::numeric, (schema ->> 'multipleOf')::numeric) <> 0 then return false; end if;
  end if;

  if kind = 'string' then
    if jsonb_typeof(schema -> 'minLength') = 'number' and char_length(candidate #>> '{}') < (schema ->> 'minLength')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'maxLength') = 'number' and char_length(candidate #>> '{}') > (schema ->> 'maxLength')::numeric then return false; end if;
  end if;

  if kind = 'array' then
    if jsonb_typeof(schema -> 'minItems') = 'number' and jsonb_array_length(candidate) < (schema ->> 'minItems')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'maxItems') = 'number' and jsonb_array_length(candidate) > (schema ->> 'maxItems')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'items') in ('object', 'boolean') then
      for item in select e from jsonb_array_elements(candidate) e loop
        if not private.fits_schema(item, schema -> 'items', depth + 1) then return false; end if;
      end loop;
    end if;
  end if;

  if kind = 'object' then
    if jsonb_typeof(schema -> 'required') = 'array' and exists (
      select 1 from jsonb_array_elements_text(schema -> 'required') r(name) where not candidate ? r.name
    ) then
      return false;
    end if;
    if jsonb_typeof(schema -> 'minProperties') = 'number'
       and (select count(*) from jsonb_object_keys(candidate)) < (schema ->> 'minProperties')::numeric then return false; end if;
    if jsonb_typeof(schema -> 'maxProperties') = 'number'
       and (select count(*) from jsonb_object_keys(candidate)) > (schema ->> 'maxProperties')::numeric then return false; end if;
    for entry in select e.key, e.value from jsonb_each(candidate) e loop
      if jsonb_typeof(schema -> 'properties') = 'object' and (schema -> 'properties') ? entry.key then
        if not private.fits_schema(entry.value, schema -> 'properties' -> entry.key, depth + 1) then return false; end if;
      elsif schema ? 'additionalProperties' then
        if not private.fits_schema(entry.value, schema -> 'additionalProperties', depth + 1) then return false; end if;
      end if;
    end loop;
  end if;

  if jsonb_typeof(schema -> 'allOf') = 'array' then
    for item in select e from jsonb_array_elements(schema -> 'allOf') e loop
      if not private.fits_schema(candidate, item, depth + 1) then return false; end if;
    end loop;
  end if;
  if jsonb_typeof(schema -> 'anyOf') = 'array' and not exists (
    select 1 from jsonb_array_elements(schema -> 'anyOf') e where private.fits_schema(candidate, e, depth + 1)
  ) then
    return false;
  end if;
  if jsonb_typeof(schema -> 'oneOf') = 'array' then
    select count(*) into matches from jsonb_array_elements(schema -> 'oneOf') e where private.fits_schema(candidate, e, depth + 1);
    if matches <> 1 then return false; end if;
  end if;
  if schema ? 'not' and private.fits_schema(candidate, schema -> 'not', depth + 1) then
    return false;
  end if;
  return true;
end
$$;

-- The parameters fit the job's schema; a job without one takes any JSON object, as in the app.
create function private.params_fit_job(target_job uuid, params jsonb) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select jsonb_typeof(coalesce(params, '{}'::jsonb)) = 'object'
     and coalesce((select private.fits_schema(coalesce(params, '{}'::jsonb), j.params_schema)
                   from public.jobs j where j.id = target_job), true)
$$;

revoke all on function private.fits_schema(jsonb, jsonb, int) from public;
revoke all on function private.params_fit_job(uuid, jsonb) from public;
grant execute on function private.fits_schema(jsonb, jsonb, int) to authenticated, service_role;
grant execute on function private.params_fit_job(uuid, jsonb) to authenticated, service_role;

alter policy "operators can queue manual runs and reruns" on public.runs
  with check (
    (select private.has_role(workspace_id, 'operator'))
    and trigger in ('manual', 'rerun')
    and status = 'queued'
    and triggered_by = (select auth.uid())
    and private.params_fit_job(job_id, params)
  );
