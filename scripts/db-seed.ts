// Seeds the demo workspace and users into DATABASE_URL (or the embedded database) if absent.
import { getDatabase } from "@/server/db/client";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "@/server/demo/seed";

async function main() {
  const { sql } = await getDatabase();
  const result = await seedDemo(sql);
  console.log(
    `${result.seeded ? "Seeded the demo workspace." : "The demo workspace is already there."} ` +
      `Sign in as ${DEMO_USERS.owner} / ${DEMO_PASSWORD}`,
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
