import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { jobFormSchema } from "@/server/jobs/definition";
import { getJob } from "@/server/jobs/queries";
import { checkParams } from "@/server/runs/params";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { addMember, asUser, seedRows, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";

const REDOS = "^(a+)+$";
const REDOS_SCHEMA = { type: "object", properties: { x: { type: "string", pattern: REDOS } } };
// Enough a's before the mismatch that a backtracking engine would never finish.
const REDOS_INPUT = JSON.stringify({ x: `${"a".repeat(40)}!` });

let db: TestDatabase;
let admin: TestUser;
let workspaceId: string;
let jobId: string;

// Records every regular expression run with the ReDoS source, to show checkParams never runs it.
let ranRedos = false;
const originalTest = RegExp.prototype.test;
const originalExec = RegExp.prototype.exec;
function watchRegexes() {
  ranRedos = false;
  RegExp.prototype.test = function (this: RegExp, input: string) {
    if (this.source === REDOS) ranRedos = true;
    return originalTest.call(this, input);
  };
  RegExp.prototype.exec = function (this: RegExp, input: string) {
    if (this.source === REDOS) ranRedos = true;
    return originalExec.call(this, input);
  };
}

const form = (paramsSchema: string) =>
  jobFormSchema.safeParse({
    jobKey: "params-job",
    title: "Params job",
    kind: "reported",
    scheduleType: "none",
    timezone: "Asia/Tokyo",
    enabled: "on",
    paramsSchema,
    defaultParams: "{}",
  });

function paramsSchemaError(paramsSchema: unknown): string | undefined {
  const result = form(typeof paramsSchema === "string" ? paramsSchema : JSON.stringify(paramsSchema));
  if (result.success) return undefined;
  return result.error.issues.find((issue) => issue.path.join(".") === "paramsSchema")?.message;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  admin = await seedUser(db.sql, "admin");
  workspaceId = (await seedWorkspace(db.sql, owner, "Params")).id;
  await addMember(db.sql, workspaceId, admin, "admin");
  jobId = (await seedRows(db.sql, workspaceId, owner)).jobId;
});

afterEach(() => {
  RegExp.prototype.test = originalTest;
  RegExp.prototype.exec = originalExec;
});

afterAll(async () => {
  await db?.close();
});

describe("a job's parameter schema cannot make the server run a regular expression", () => {
  it("the watch on regular expressions sees zod run the pattern when nothing stops it", () => {
    watchRegexes();
    z.fromJSONSchema(REDOS_SCHEMA as Parameters<typeof z.fromJSONSchema>[0]).safeParse({ x: "aa" });
    expect(ranRedos).toBe(true);
  });

  it("refuses a ReDoS schema saved on a job, naming paramsSchema", () => {
    watchRegexes();
    const message = paramsSchemaError(REDOS_SCHEMA);
    expect(message).toMatch(/cannot use "pattern"/);
    expect(ranRedos).toBe(false);
  });

  it("refuses patterns wherever they hide, and regex formats", () => {
    const hidden = [
      { type: "object", properties: { list: { type: "array", items: { type: "string", pattern: REDOS } } } },
      { type: "object", patternProperties: { [REDOS]: { type: "string" } } },
      { anyOf: [{ type: "string", pattern: REDOS }, { type: "number" }] },
      { type: "object", $defs: { x: { type: "string", pattern: REDOS } } },
      { type: "object", additionalProperties: { type: "string", pattern: REDOS } },
      { type: "object", propertyNames: { pattern: REDOS } },
      { type: "object", properties: { expression: { type: "string", format: "regex" } } },
    ];
    for (const schema of hidden) expect(paramsSchemaError(schema), JSON.stringify(schema)).toMatch(/regular expressions/);
  });

  it("still takes a parameter that happens to be named pattern", () => {
    expect(paramsSchemaError({ type: "object", properties: { pattern: { type: "string" } } })).toBeUndefined();
  });

  it("refuses a schema too large or nested too deeply, with a clear message", () => {
    const properties = Object.fromEntries(Array.from({ length: 800 }, (_, index) => [`field_${index}`, { type: "string" }]));
    expect(paramsSchemaError({ type: "object", properties })).toMatch(/at most 20,000 characters/);
    let deep: Record<string, unknown> = { type: "string" };
    for (let level = 0; level < 12; level += 1) deep = { type: "object", properties: { inner: deep } };
    expect(paramsSchemaError(deep)).toMatch(/at most 10 levels deep/);
  });

  it("never runs a ReDoS pattern an admin wrote into the table directly, when a run is requested", async () => {
    // The column is an admin's to edit (Supabase exposes it), so the check at run time matters.
    await asUser(db.sql, admin, (tx) => tx`
      update jobs set params_schema = ${tx.json(REDOS_SCHEMA as never)} where id = ${jobId}`);
    const job = await asUser(db.sql, admin, (tx) => getJob(tx, { workspaceId, jobId }));
    expect(job!.params_schema).toEqual(REDOS_SCHEMA);
    watchRegexes();
    const checked = checkParams(REDOS_INPUT, job!.params_schema);
    expect(checked).toEqual({ ok: false, error: "This job's parameter schema cannot be used; ask an admin to fix it.", fieldErrors: {} });
    expect(ranRedos).toBe(false);
  });
});
