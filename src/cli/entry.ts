// The entry of the bundled CLI (dist/jobboard.mjs, served at /jobboard.mjs): one file, Node 18+.
import { main } from "./main";

const [major] = process.versions.node.split(".").map(Number);
if (!major || major < 18 || typeof fetch !== "function") {
  process.stderr.write(`jobboard needs Node.js 18 or newer (this is ${process.version})\n`);
  process.exit(1);
}

await main(process.argv.slice(2));
