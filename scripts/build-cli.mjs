// Bundles the jobboard CLI into one file that needs nothing but Node 18+: dist/jobboard.mjs,
// copied to public/jobboard.mjs so the app serves it at /jobboard.mjs.
import { chmod, copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the bundle to `outfile` (default dist/jobboard.mjs) and answers with its path. */
export async function buildCli({ outfile = path.join(root, "dist", "jobboard.mjs"), copyToPublic = true } = {}) {
  await mkdir(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(root, "src", "cli", "entry.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node18",
    format: "esm",
    banner: { js: "#!/usr/bin/env node" },
    legalComments: "none",
    logLevel: "warning",
  });
  await chmod(outfile, 0o755);
  if (copyToPublic) await copyFile(outfile, path.join(root, "public", "jobboard.mjs"));
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outfile = await buildCli();
  process.stdout.write(`built ${path.relative(root, outfile)} and public/jobboard.mjs\n`);
}
