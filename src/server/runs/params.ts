import { z } from "zod";
import { parseCleanJson } from "@/lib/clean-text";
import { paramsSchemaProblem } from "./params-schema";

export type ParamsCheck =
  | { ok: true; params: Record<string, unknown> }
  | { ok: false; error: string; fieldErrors: Record<string, string> };

/**
 * Reads parameters typed as JSON and checks them against the job's JSON Schema, naming each
 * field that is wrong. A job without a schema takes any JSON object.
 */
export function checkParams(text: string, schema: Record<string, unknown> | null): ParamsCheck {
  let value: unknown;
  try {
    // "\u0000" typed as JSON would become a NUL that jsonb (and an agent's environment) refuses.
    value = parseCleanJson(text);
  } catch (error) {
    const detail = (error as Error).message.replace(/^JSON\.parse: /, "");
    return { ok: false, error: "Parameters are not valid JSON.", fieldErrors: { params: `Invalid JSON: ${detail}` } };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "Parameters must be a JSON object.", fieldErrors: { params: "Expected an object like {\"key\": 1}" } };
  }
  if (!schema) return { ok: true, params: value as Record<string, unknown> };

  // A schema stored before these limits existed must not run either.
  if (paramsSchemaProblem(schema)) {
    return { ok: false, error: "This job's parameter schema cannot be used; ask an admin to fix it.", fieldErrors: {} };
  }
  let validator: z.ZodType;
  try {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return { ok: false, error: "This job's parameter schema cannot be read; ask an admin to fix it.", fieldErrors: {} };
  }
  const result = validator.safeParse(value);
  if (result.success) return { ok: true, params: value as Record<string, unknown> };
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.join(".") : "params";
    fieldErrors[field] ??= issue.message;
  }
  return { ok: false, error: "Parameters do not match this job's schema.", fieldErrors };
}
