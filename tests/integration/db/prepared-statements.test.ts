import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

describe("the pool's statements", () => {
  it("are named and kept on PostgreSQL, so a repeated query is one round trip; PGlite's socket gets unnamed ones", async () => {
    const connection = await db.sql.reserve();
    try {
      for (let i = 0; i < 3; i++) {
        const [row] = await connection<{ n: number }[]>`select ${i}::int + 1 as n`;
        expect(row!.n).toBe(i + 1);
      }
      const [kept] = await connection<{ n: number }[]>`
        select count(*)::int as n from pg_prepared_statements where statement like 'select $1::int + 1 as n%'`;
      expect(kept!.n).toBe(db.kind === "postgres" ? 1 : 0);
    } finally {
      connection.release();
    }
  });
});
