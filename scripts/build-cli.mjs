// Bundles the jobboard CLI into one file that needs nothing but Node 18+: dist/jobboard.mjs,
// copied to public/jobboard.mjs so the app serves it at /jobboard.mjs. Beside it go its SHA-256
// (jobboard.mjs.sha256, in sha256sum's format) and a copy under a name that never serves other
// bytes (jobboard-<version>-<first 12 of the sum>.mjs), so an agent host can check what it runs.
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
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
  const sum = createHash("sha256").update(await readFile(outfile)).digest("hex");
  await writeFile(`${outfile}.sha256`, `${sum}  jobboard.mjs\n`);
  if (copyToPublic) {
    const publicDir = path.join(root, "public");
    // One build's files at a time: a versioned name from an earlier build is not served again.
    for (const name of await readdir(publicDir)) if (/^jobboard-.+\.mjs(\.sha256)?$/.test(name)) await rm(path.join(publicDir, name));
    const versioned = versionedName(await cliVersion(), sum);
    await copyFile(outfile, path.join(publicDir, "jobboard.mjs"));
    await writeFile(path.join(publicDir, "jobboard.mjs.sha256"), `${sum}  jobboard.mjs\n`);
    await copyFile(outfile, path.join(publicDir, versioned));
    await writeFile(path.join(publicDir, `${versioned}.sha256`), `${sum}  ${versioned}\n`);
  }
  return outfile;
}

/** The name a build's CLI is also served under, which no other build's bytes can take. */
export function versionedName(version, sum) {
  return `jobboard-${version}-${sum.slice(0, 12)}.mjs`;
}

/** VERSION as src/cli/version.ts declares it. */
async function cliVersion() {
  const source = await readFile(path.join(root, "src", "cli", "version.ts"), "utf8");
  const version = /VERSION = "([^"]+)"/.exec(source)?.[1];
  if (!version) throw new Error("src/cli/version.ts declares no VERSION");
  return version;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outfile = await buildCli();
  process.stdout.write(`built ${path.relative(root, outfile)} and public/jobboard.mjs\n`);
}
