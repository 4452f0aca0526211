import { describe, expect, it } from "vitest";
import { allowsPreparedStatements } from "@/server/db/sql";

describe("named prepared statements", () => {
  it("are used on a direct connection and on a session pooler, not on Supabase's transaction pooler", () => {
    expect(allowsPreparedStatements("postgres://postgres@127.0.0.1:5432/postgres")).toBe(true);
    expect(allowsPreparedStatements("postgresql://postgres.ref:secret@aws-0-eu-central-1.pooler.supabase.com:5432/postgres")).toBe(true);
    expect(allowsPreparedStatements("postgres://postgres@db.internal/jobboard")).toBe(true);
    expect(allowsPreparedStatements("postgresql://postgres.ref:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")).toBe(false);
  });
});
