import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/server/db/errors";
import { generateIngestKey, hashIngestKey, parseIngestKey, secretsEqual } from "@/server/ingest/keys";
import { parseReport } from "@/server/ingest/schemas";
import { headChars, tailBytes } from "@/server/ingest/truncate";

describe("report parsing", () => {
  const seed = { job_key: "k", title: "T", status: "success", finished_at: "2026-11-23T00:00:00Z" };

  it("accepts seed 003's payload, defaulting the event to finish", () => {
    const parsed = parseReport({ ...seed, tool_id: null, message: null });
    expect(parsed).toMatchObject({ report: { event: "finish", job_key: "k", status: "success" } });
  });

  it("asks only start and progress reports for what they need", () => {
    expect(parseReport({ event: "start", job_key: "k" })).toHaveProperty("report");
    expect(parseReport({ event: "progress", job_key: "k", run_id: "r", stage: "Fetch", percent: 12.5 })).toHaveProperty("report");
    expect(parseReport({ event: "finish", job_key: "k", title: "T", status: "error" })).toEqual({
      problem: { error: "finished_at is required", field: "finished_at" },
    });
  });

  it("names the field of each problem", () => {
    expect(parseReport({ ...seed, event: "restart" })).toEqual({
      problem: { error: "event must be 'start', 'finish' or 'progress'", field: "event" },
    });
    expect(parseReport({ ...seed, tags: "nightly" })).toMatchObject({ problem: { field: "tags" } });
    expect(parseReport({ ...seed, duration_ms: -1 })).toMatchObject({ problem: { field: "duration_ms" } });
    expect(parseReport({ ...seed, exit_code: 2 ** 40 })).toMatchObject({ problem: { field: "exit_code" } });
    expect(parseReport({ ...seed, started_at: "2026-11-23T01:00:00Z" })).toEqual({
      problem: { error: "started_at must not be after finished_at", field: "started_at" },
    });
  });
});

describe("truncation", () => {
  it("keeps the tail in bytes without splitting a character", () => {
    expect(tailBytes("short", 10)).toEqual({ value: "short", truncated: false });
    // "abcあい" is 9 bytes; あ and い are 3 each.
    expect(tailBytes("abcあい", 7)).toEqual({ value: "cあい", truncated: true });
    expect(tailBytes("abcあい", 6)).toEqual({ value: "あい", truncated: true });
    expect(tailBytes("abcあい", 5)).toEqual({ value: "い", truncated: true });
  });

  it("keeps the head in characters without splitting a surrogate pair", () => {
    expect(headChars("😀😀😀", 2)).toEqual({ value: "😀😀", truncated: true });
    expect(headChars("ok", 2)).toEqual({ value: "ok", truncated: false });
  });
});

describe("ingest keys", () => {
  it("generates keys whose prefix identifies them and whose hash verifies them", () => {
    const key = generateIngestKey();
    expect(key.token).toMatch(/^jb_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseIngestKey(key.token)).toBe(key.prefix);
    expect(hashIngestKey(key.token)).toBe(key.hash);
    expect(generateIngestKey().token).not.toBe(key.token);
    expect(parseIngestKey("not-a-key")).toBeNull();
  });

  it("compares secrets of any length without throwing", () => {
    expect(secretsEqual("same", "same")).toBe(true);
    expect(secretsEqual("same", "different length")).toBe(false);
    expect(secretsEqual("", "x")).toBe(false);
  });
});

describe("database availability", () => {
  it("tells a down database from a bad statement", () => {
    expect(isDatabaseUnavailable({ code: "ECONNREFUSED" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "08006" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "57P01" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "23505" })).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
  });
});
