// Applies supabase/migrations to DATABASE_URL (or the embedded database when it is unset).
import { getDatabase } from "@/server/db/client";
import { migrate } from "@/server/db/migrate";

async function main() {
  const { sql, isEmbedded } = await getDatabase();
  const result = await migrate(sql);
  console.log(
    `Migrations: ${result.applied.length} applied, ${result.skipped.length} already applied` +
      (result.shimApplied ? " (auth shim installed)" : "") +
      (isEmbedded ? " [embedded database]" : ""),
  );
  await sql.end();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
