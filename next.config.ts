import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules at run time,
  // not bundled; postgres.js is kept external so one pool is shared by every route.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres", "bcryptjs"],
  poweredByHeader: false,
  // Lets a benchmark build beside the development build without overwriting it.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // A second lockfile higher up the tree must not change what Next treats as the project root.
  outputFileTracingRoot: __dirname,
  turbopack: { root: __dirname },
};

export default nextConfig;
