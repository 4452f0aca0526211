#!/usr/bin/env node
// The jobboard CLI. Its TypeScript source runs through tsx, so there is no build step to forget.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("../src/cli/main.ts", import.meta.url);
await main(process.argv.slice(2));
