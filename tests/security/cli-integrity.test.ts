import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "@/cli/version";

// Agent hosts run /jobboard.mjs, often as root or SYSTEM: whoever changes it on its way (or on
// the hub's disk) must be caught by the checksum the hub publishes beside it, as the README's
// install steps check it. Reads what `npm run build:cli` wrote to public/.
const PUBLIC = path.join(process.cwd(), "public");
let dir: string;

beforeAll(async () => {
  if (!(await readdir(PUBLIC)).includes("jobboard.mjs.sha256")) {
    const built = spawnSync(process.execPath, [path.join("scripts", "build-cli.mjs")], { encoding: "utf8" });
    if (built.status !== 0) throw new Error(`build:cli failed: ${built.stderr}`);
  }
  dir = await mkdtemp(path.join(tmpdir(), "jobboard-integrity-"));
  await copyFile(path.join(PUBLIC, "jobboard.mjs"), path.join(dir, "jobboard.mjs"));
  await copyFile(path.join(PUBLIC, "jobboard.mjs.sha256"), path.join(dir, "jobboard.mjs.sha256"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const check = () => spawnSync("sha256sum", ["-c", "jobboard.mjs.sha256"], { cwd: dir, encoding: "utf8" });
const versionOf = () => spawnSync(process.execPath, ["jobboard.mjs", "version"], { cwd: dir, encoding: "utf8" }).stdout;

describe("the CLI an agent host downloads", () => {
  it("passes the published checksum as served, and fails it once a byte is changed", async () => {
    expect(check()).toMatchObject({ status: 0, stdout: "jobboard.mjs: OK\n" });
    const published = (await readFile(path.join(dir, "jobboard.mjs.sha256"), "utf8")).split(" ")[0];
    expect(versionOf()).toContain(`sha256 ${published}  `);

    const original = await readFile(path.join(dir, "jobboard.mjs"), "utf8");
    const tampered = original.replace("#!/usr/bin/env node\n", "#!/usr/bin/env node\nprocess.env.EXFILTRATE = '1';\n");
    await writeFile(path.join(dir, "jobboard.mjs"), tampered);
    const refused = check();
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain("jobboard.mjs: FAILED");
    // The copy itself says it is not the published one.
    expect(versionOf()).toContain(`sha256 ${createHash("sha256").update(tampered).digest("hex")}  `);
    expect(versionOf()).not.toContain(published);
  });

  it("is also served under a name that no other build's bytes can take", async () => {
    const text = await readFile(path.join(PUBLIC, "jobboard.mjs"));
    const sum = createHash("sha256").update(text).digest("hex");
    const versioned = `jobboard-${VERSION}-${sum.slice(0, 12)}.mjs`;
    expect((await readFile(path.join(PUBLIC, versioned))).equals(text)).toBe(true);
    expect(await readFile(path.join(PUBLIC, `${versioned}.sha256`), "utf8")).toBe(`${sum}  ${versioned}\n`);
  });
});
