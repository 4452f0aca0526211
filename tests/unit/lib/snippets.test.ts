import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { jobboardRunSnippet, shellQuote } from "@/lib/snippets";

describe("the snippets pages hand out", () => {
  it("quote a title so that a real shell reads it back unchanged", () => {
    for (const value of ["nightly-backup", "Nightly backup", "O'Reilly's $HOME `date` \"x\"", "売上レポート <!channel>", "a\\b"]) {
      expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(value)}`]).toString()).toBe(value);
    }
  });

  it("run the CLI this server serves, not a package npx cannot find", () => {
    const snippet = jobboardRunSnippet("https://jobs.example.test", "jb_token", "--job-key backup");
    expect(snippet.split("\n")).toEqual([
      "curl -fsSLO https://jobs.example.test/jobboard.mjs",
      "export JOBBOARD_HUB_URL=https://jobs.example.test JOBBOARD_TOKEN=jb_token",
      "node jobboard.mjs run --job-key backup -- ./backup.sh",
    ]);
  });
});
