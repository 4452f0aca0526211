import { afterEach, describe, expect, it } from "vitest";
import { getEnv, resetEnvCache } from "@/lib/env";
import { allowsPreparedStatements } from "@/server/db/sql";

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("named prepared statements", () => {
  it("are used on a direct connection and on a session pooler, not on Supabase's transaction pooler", () => {
    expect(allowsPreparedStatements("postgres://postgres@127.0.0.1:5432/postgres")).toBe(true);
    expect(allowsPreparedStatements("postgresql://postgres.ref:secret@aws-0-eu-central-1.pooler.supabase.com:5432/postgres")).toBe(true);
    expect(allowsPreparedStatements("postgres://postgres@db.internal/jobboard")).toBe(true);
    expect(allowsPreparedStatements("postgresql://postgres.ref:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")).toBe(false);
  });

  it("can be turned on or off with DATABASE_PREPARED_STATEMENTS, and say so when it is neither 0 nor 1", () => {
    process.env = { ...saved, DATABASE_PREPARED_STATEMENTS: "0" };
    resetEnvCache();
    expect(getEnv().DATABASE_PREPARED_STATEMENTS).toBe(false);
    process.env = { ...saved, DATABASE_PREPARED_STATEMENTS: "1" };
    resetEnvCache();
    expect(getEnv().DATABASE_PREPARED_STATEMENTS).toBe(true);
    process.env = { ...saved, DATABASE_PREPARED_STATEMENTS: "" };
    resetEnvCache();
    expect(getEnv().DATABASE_PREPARED_STATEMENTS).toBeUndefined();
    process.env = { ...saved, DATABASE_PREPARED_STATEMENTS: "yes" };
    resetEnvCache();
    expect(() => getEnv()).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });
});
