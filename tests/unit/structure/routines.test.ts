import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// supabase/routines/ keeps the current source of the database functions that change most, one
// file each. A migration that changes one restates the file whole, so reviewing it means reading
// the file's diff. This holds the two together: the newest migration that defines the function
// is exactly the file.
const routines = path.join(process.cwd(), "supabase", "routines");
const migrations = path.join(process.cwd(), "supabase", "migrations");

describe("database functions kept in supabase/routines", () => {
  const files = readdirSync(routines).filter((name) => name.endsWith(".sql"));

  it("has routines to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s is what the newest migration defining it says", (file) => {
    const source = readFileSync(path.join(routines, file), "utf8");
    const name = /create or replace function (private\.\w+)\(/.exec(source)?.[1];
    expect(name, `${file} defines no function`).toBeDefined();
    const newest = readdirSync(migrations)
      .filter((migration) => readFileSync(path.join(migrations, migration), "utf8").includes(`create or replace function ${name}(`))
      .sort()
      .at(-1);
    expect(newest, `no migration defines ${name}`).toBeDefined();
    const definition = source.slice(source.indexOf("create or replace function"));
    expect(readFileSync(path.join(migrations, newest!), "utf8")).toContain(definition.trim());
  });
});
