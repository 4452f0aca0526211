import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Each folder of src/server is a domain; a domain may use another, but never the other way too,
// so either can be read and changed knowing what leans on it.
const SERVER = "src/server";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(name) ? [file] : [];
  });
}

/** Which domains each domain imports, by relative or `@/server/` path. */
function domainImports(): Map<string, Set<string>> {
  const domains = readdirSync(SERVER).filter((name) => statSync(path.join(SERVER, name)).isDirectory());
  const uses = new Map(domains.map((domain) => [domain, new Set<string>()]));
  for (const domain of domains) {
    for (const file of sourceFiles(path.join(SERVER, domain))) {
      for (const [, specifier] of readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)) {
        const target = specifier!.startsWith("@/server/")
          ? specifier!.slice("@/server/".length)
          : specifier!.startsWith(".")
            ? path.relative(SERVER, path.resolve(path.dirname(file), specifier!))
            : null;
        const used = target?.split(path.sep)[0]?.split("/")[0];
        if (used && used !== domain && uses.has(used)) uses.get(domain)!.add(used);
      }
    }
  }
  return uses;
}

describe("src/server's folders", () => {
  const uses = domainImports();

  it("are read as the domains they are", () => {
    expect(uses.get("schedule")).toContain("runs");
    expect(uses.get("schedule")).toContain("notify");
  });

  it("never import each other both ways", () => {
    const twoWay = [...uses].flatMap(([domain, used]) =>
      [...used].filter((other) => domain < other && uses.get(other)!.has(domain)).map((other) => `${domain} <-> ${other}`),
    );
    expect(twoWay).toEqual([]);
  });
});
