import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export type EmbeddedDatabase = { url: string; dataDir: string; stop: () => Promise<void> };

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Claims the data directory for this process. PGlite is a single-process database: two
 * processes opening the same files would corrupt them, so a second one is told who holds it.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dir, "embedded.pid");
  const holder = Number.parseInt(await readFile(lockFile, "utf8").catch(() => ""), 10);
  if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
    throw new Error(
      `The embedded database in ${dir} is in use by process ${holder} (another "npm run dev"?). ` +
        `Stop that process, or set DATABASE_URL to use a PostgreSQL server instead.`,
    );
  }
  await writeFile(lockFile, String(process.pid));
  return () => rm(lockFile, { force: true });
}

/**
 * Starts PGlite with its files under `dataDir` (or in memory) and serves it on a loopback
 * port with pglite-socket, so postgres.js talks to it exactly as to any PostgreSQL server.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string | "memory";
  port?: number;
}): Promise<EmbeddedDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");

  let unlock = async () => {};
  let pgDataDir: string | undefined;
  if (options.dataDir !== "memory") {
    const dir = path.resolve(options.dataDir);
    await mkdir(dir, { recursive: true });
    unlock = await lockDataDir(dir);
    pgDataDir = path.join(dir, "pgdata");
  }

  const db = await PGlite.create(pgDataDir ? { dataDir: pgDataDir } : {});
  // One connection at a time: PGlite has a single backend, and interleaving two clients'
  // extended-protocol messages outside a transaction is not safe.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 1 });
  await server.start();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    await db.close();
    await unlock();
  };
  return { url: `postgres://postgres:postgres@${server.getServerConn()}/postgres`, dataDir: String(options.dataDir), stop };
}
