import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The system suite runs the production build as users do, as separate processes on a real
 * PostgreSQL server (the embedded database serves one process only). `npm test` builds once
 * before it (JOBBOARD_PREBUILT=1); run alone, the suite builds first so it never tests stale
 * code. Without DATABASE_URL it starts a throwaway PostgreSQL of its own.
 */
export default function setup(): () => void {
  if (!(process.env.JOBBOARD_PREBUILT === "1" && existsSync(".next/BUILD_ID") && existsSync("dist/jobboard.mjs"))) {
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (built.status !== 0) throw new Error("npm run build failed; the system suite needs the production build");
  }
  if (process.env.DATABASE_URL) return () => {};
  const exports = execFileSync("bash", ["scripts/start-test-postgres.sh"], {
    encoding: "utf8",
    env: { ...process.env, PG_TEST_PORT: process.env.PG_TEST_PORT ?? "54339" },
  });
  const values = Object.fromEntries(
    [...exports.matchAll(/^export (\w+)='?(.*?)'?$/gm)].map((match) => [match[1]!, match[2]!]),
  );
  process.env.DATABASE_URL = values.DATABASE_URL;
  return () => {
    execFileSync("bash", ["-c", values.PG_TEST_STOP!], { stdio: "ignore" });
  };
}
