/**
 * What a job's parameter schema may contain. Schemas are written by admins (and by agents that
 * announce jobs) and run on every manual run, so none may make the server run someone's regular
 * expression (a backtracking pattern like ^(a+)+$ takes the server down with one request), nor
 * be so large or so deep that reading it costs more than the run.
 */
export const PARAMS_SCHEMA_LIMITS = { chars: 20_000, depth: 10 } as const;

// Keywords whose value is a user-written regular expression.
const REGEX_KEYWORDS = new Set(["pattern", "patternProperties"]);
// Formats validated by running the value (or the schema's own text) as a regular expression.
const REGEX_FORMATS = new Set(["regex"]);
// Keywords whose value is data, not a schema: a property named "pattern" in them is harmless.
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples", "title", "description", "$comment", "required"]);
// Keywords whose value maps names to schemas.
const SCHEMA_MAPS = new Set(["properties", "$defs", "definitions", "dependentSchemas"]);

/** The one thing wrong with a parameter schema, worded for the job form; null when it is usable. */
export function paramsSchemaProblem(schema: Record<string, unknown>): string | null {
  if (JSON.stringify(schema).length > PARAMS_SCHEMA_LIMITS.chars) {
    return `The parameter schema must be at most ${PARAMS_SCHEMA_LIMITS.chars.toLocaleString("en")} characters`;
  }
  return walk(schema, 1);
}

function walk(node: unknown, depth: number): string | null {
  if (typeof node !== "object" || node === null) return null;
  if (depth > PARAMS_SCHEMA_LIMITS.depth) {
    return `The parameter schema must nest at most ${PARAMS_SCHEMA_LIMITS.depth} levels deep`;
  }
  if (Array.isArray(node)) {
    for (const item of node) {
      const problem = walk(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [keyword, value] of Object.entries(node)) {
    if (REGEX_KEYWORDS.has(keyword)) {
      return `The parameter schema cannot use "${keyword}": Jobboard does not run regular expressions from schemas`;
    }
    if (keyword === "format" && typeof value === "string" && REGEX_FORMATS.has(value)) {
      return `The parameter schema cannot use format "${value}": Jobboard does not run regular expressions from schemas`;
    }
    if (DATA_KEYWORDS.has(keyword)) continue;
    const problem =
      SCHEMA_MAPS.has(keyword) && typeof value === "object" && value !== null && !Array.isArray(value)
        ? walkMap(value as Record<string, unknown>, depth + 1)
        : walk(value, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function walkMap(map: Record<string, unknown>, depth: number): string | null {
  for (const schema of Object.values(map)) {
    const problem = walk(schema, depth);
    if (problem) return problem;
  }
  return null;
}
