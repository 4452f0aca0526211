import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, connect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/server/db/errors";
import { migrate } from "@/server/db/migrate";
import { createSql, REQUEST_BOUNDS, type Sql } from "@/server/db/sql";
import { withService, withUser } from "@/server/db/transactions";
import { parseReport } from "@/server/ingest/schemas";
import { ingestReport } from "@/server/ingest/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { seedUser } from "../support/fixtures";

/**
 * A TCP relay between the pool and the database that can break connections the ways networks
 * and servers do: at once, or silently (the database side is gone, and the client only learns
 * when it next writes: a reset).
 */
type Relay = {
  url: string;
  connections: () => number;
  /** Closes every relayed connection now: the client sees them close. */
  cutNow: () => void;
  /** Drops the database side of every connection; the client's next write is answered with a reset. */
  cutSilently: () => void;
  /** Closes each connection when the client next writes, without passing the write on. */
  cutOnNextWrite: () => void;
  close: () => Promise<void>;
};

async function startRelay(databaseUrl: string): Promise<Relay> {
  const target = new URL(databaseUrl);
  type Pair = { client: Socket; upstream: Socket; onWrite?: "reset" | "close" };
  const pairs = new Set<Pair>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = connect(Number(target.port), target.hostname);
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    client.on("data", (chunk) => {
      if (pair.onWrite === "reset") return client.resetAndDestroy();
      if (pair.onWrite === "close") return client.destroy();
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    client.on("error", () => {});
    upstream.on("error", () => {});
    upstream.on("close", () => {
      if (!pair.onWrite) end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    connections: () => accepted,
    cutNow: () => pairs.forEach((pair) => pair.client.destroy()),
    cutSilently: () =>
      pairs.forEach((pair) => {
        pair.onWrite = "reset";
        pair.upstream.destroy();
      }),
    cutOnNextWrite: () => pairs.forEach((pair) => (pair.onWrite = "close")),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let db: TestDatabase;
let relay: Relay;
let sql: Sql;

beforeAll(async () => {
  db = await createTestDatabase();
  // PGlite serves one connection at a time: the relay's pool must be the only client.
  await db.sql.end();
});

afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  relay = await startRelay(db.url);
  // The server's pool, as client.ts makes it.
  sql = createSql(relay.url, { max: 1, bounds: REQUEST_BOUNDS, prepare: db.kind === "postgres" });
  // One open, pooled connection, as a running server has.
  await withService(sql, (tx) => tx`select 1`);
  expect(relay.connections()).toBe(1);
});

afterEach(async () => {
  await sql.end({ timeout: 1 });
  await relay.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the transaction to fail");
    },
    (error: unknown) => error,
  );
}

describe("a pooled connection that breaks", () => {
  it("is replaced without the caller noticing when it died while idle", async () => {
    relay.cutSilently();
    const calls: number[] = [];
    const [row] = await withService(sql, async (tx) => {
      calls.push(1);
      return tx<{ n: number }[]>`select 41 + 1 as n`;
    });
    expect(row!.n).toBe(42);
    expect(calls).toHaveLength(1);
    expect(relay.connections()).toBe(2);
  });

  it("is replaced for a report that carries a run_id, which is recorded once; one without is refused as unavailable", async () => {
    const workspaceId = await withService(sql, async (tx) => {
      const [workspace] = await tx<{ id: string }[]>`insert into workspaces (name, slug) values ('Relay', ${`relay-${Date.now()}`}) returning id`;
      return workspace!.id;
    });
    const report = (runId?: string) => {
      const parsed = parseReport({ job_key: "relay-job", title: "Relay job", status: "success", finished_at: new Date().toISOString(), ...(runId ? { run_id: runId } : {}) });
      if (!("report" in parsed)) throw new Error("invalid report");
      return parsed.report;
    };
    relay.cutSilently();
    const recorded = await ingestReport(sql, { workspaceId, report: report("relay-run-1") });
    expect(recorded.isDuplicate).toBe(false);
    const [runs] = await withService(sql, (tx) => tx<{ n: number }[]>`select count(*)::int as n from runs where external_id = 'relay-run-1'`);
    expect(runs!.n).toBe(1);

    relay.cutSilently();
    const error = await failureOf(ingestReport(sql, { workspaceId, report: report() }));
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("is replaced for a signed-in user's transaction too", async () => {
    const user = await seedUser(sql);
    relay.cutSilently();
    const [row] = await withUser(sql, { sub: user.id, role: "authenticated" }, (tx) => tx<{ uid: string }[]>`select auth.uid() as uid`);
    expect(row!.uid).toBe(user.id);
  });

  it("surfaces, untried again, once the caller's statements were sent", async () => {
    let calls = 0;
    const error = await failureOf(
      withService(sql, async (tx) => {
        calls++;
        relay.cutOnNextWrite();
        await tx`select 1`;
      }),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(calls).toBe(1);
    // The pool connects again at once: the lost connection left nothing behind.
    const [row] = await withService(sql, (tx) => tx<{ n: number }[]>`select 1 as n`);
    expect(row!.n).toBe(1);
  });

  it("ends a transaction whose connection closed between statements, and sends nothing after", async () => {
    let refused: unknown;
    const error = await failureOf(
      withService(sql, async (tx) => {
        await tx`select 1`;
        relay.cutNow();
        await sleep(100);
        try {
          await tx`select 2`;
        } catch (caught) {
          refused = caught;
          throw caught;
        }
      }),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    await sleep(150);
    expect(refused).toMatchObject({ code: "TRANSACTION_ENDED" });
    const [row] = await withService(sql, (tx) => tx<{ n: number }[]>`select 2 as n`);
    expect(row!.n).toBe(2);
  });

  it("is not tried again when the database refuses connections: that is an outage, said at once", async () => {
    relay.cutNow();
    await relay.close();
    const started = Date.now();
    const error = await failureOf(withService(sql, (tx) => tx`select 1`));
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("bounds on statements", () => {
  it("bound every transaction's statements and idle time on the server's pool, and its pooled statements on PostgreSQL", async () => {
    const [inside] = await withService(sql, (tx) => tx<{ statement: string; idle: string }[]>`
      select current_setting('statement_timeout') as statement,
             current_setting('idle_in_transaction_session_timeout') as idle`);
    expect(inside).toEqual({ statement: "5s", idle: "10s" });
    const [outside] = await sql<{ statement: string }[]>`select current_setting('statement_timeout') as statement`;
    // PGlite takes the startup parameters but ignores them (and cannot interrupt a statement).
    expect(outside!.statement).toBe(db.kind === "postgres" ? "5s" : "0");
  });

  it("leave a pool made without them unbounded: tools and fixtures may run long statements", async () => {
    // PGlite serves one connection at a time.
    await sql.end({ timeout: 1 });
    const tools = createSql(relay.url, { max: 1, prepare: db.kind === "postgres" });
    try {
      const [inside] = await withService(tools, (tx) => tx<{ statement: string }[]>`select current_setting('statement_timeout') as statement`);
      expect(inside!.statement).toBe("0");
    } finally {
      await tools.end({ timeout: 1 });
    }
  });

  it("are lifted for migrations, and back on the connection once they are done", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "jobboard-migration-"));
    try {
      await writeFile(
        path.join(dir, "20990101000000_probe_bounds.sql"),
        "create table probe_bounds as select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle;",
      );
      await migrate(sql, { migrationsDir: dir });
      const [during] = await sql<{ statement: string; idle: string }[]>`select statement, idle from probe_bounds`;
      expect(during).toEqual({ statement: "0", idle: "0" });
      const [after] = await sql<{ statement: string }[]>`select current_setting('statement_timeout') as statement`;
      expect(after!.statement).toBe(db.kind === "postgres" ? "5s" : "0");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
