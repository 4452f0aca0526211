import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

const alias = {
  "@": path.resolve(root, "src"),
  // Next enforces "server-only" at build time; in tests every module is server-side anyway.
  "server-only": path.resolve(root, "tests/support/server-only.ts"),
};

// Suites that drive the production build as its own processes share one set-up (the build, a
// PostgreSQL server). Each file starts servers of its own: one at a time suits a 2-core machine.
const againstTheBuild = {
  environment: "node" as const,
  globalSetup: ["tests/system/support/global-setup.ts"],
  testTimeout: 120_000,
  hookTimeout: 180_000,
  maxWorkers: 1,
  fileParallelism: false,
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // The suite's HTTP targets and Slack stand-ins listen on loopback, which the egress
          // guard refuses unless allowed, as a self-hoster would allow an internal host.
          env: { JOBBOARD_EGRESS_ALLOW: "127.0.0.1" },
          testTimeout: 30_000,
          hookTimeout: 120_000,
          // Each file gets its own database; two at a time suits a 2-core machine.
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        // The production build as separate processes: next start, the CLI and the agent.
        test: { name: "system", include: ["tests/system/**/*.test.ts"], ...againstTheBuild },
      },
      {
        resolve: { alias },
        // Each test performs an attack and asserts the refusal; some need the built app.
        test: { name: "security", include: ["tests/security/**/*.test.ts"], ...againstTheBuild },
      },
      {
        resolve: { alias },
        test: {
          name: "build",
          include: ["tests/build/**/*.test.ts"],
          environment: "node",
        },
      },
    ],
  },
});
