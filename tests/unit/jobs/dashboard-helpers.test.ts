import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { en, ja, localeFromAcceptLanguage, translator } from "@/lib/i18n/messages";
import { formatDuration, formatPercent } from "@/lib/time";
import { checkParams } from "@/server/runs/params";
import { describeSchedule, nextExpectedRun } from "@/server/schedule/describe";
import { taskParamsJsonSchema } from "@/server/tasks";

const RECAP_PARAMS_SCHEMA = taskParamsJsonSchema("demo-pipeline");

describe("rerun parameters", () => {
  it("accepts parameters that match the job's JSON Schema", () => {
    expect(checkParams('{"step_ms": 5, "fail_at": "Dedup"}', RECAP_PARAMS_SCHEMA)).toEqual({ ok: true, params: { step_ms: 5, fail_at: "Dedup" } });
  });

  it("names every field that breaks the schema", () => {
    const result = checkParams('{"step_ms": 99999999, "fail_at": "Nowhere", "extra": 1}', RECAP_PARAMS_SCHEMA);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("Parameters do not match this job's schema.");
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["fail_at", "params", "step_ms"]);
    expect(result.fieldErrors.step_ms).toMatch(/<=60000/);
  });

  it("explains invalid JSON and non-objects", () => {
    expect(checkParams('{"step_ms": ', RECAP_PARAMS_SCHEMA)).toMatchObject({ ok: false, error: "Parameters are not valid JSON." });
    expect(checkParams("[1, 2]", null)).toMatchObject({ ok: false, error: "Parameters must be a JSON object." });
    expect(checkParams('{"anything": [1]}', null)).toEqual({ ok: true, params: { anything: [1] } });
  });
});

describe("schedules", () => {
  it("puts cron expressions and periods into words, in English and Japanese", () => {
    expect(describeSchedule({ cron: "30 7 * * 1-5", timezone: "Asia/Tokyo", periodSeconds: null })).toBe(
      "At 07:30, Monday through Friday (Asia/Tokyo)",
    );
    expect(describeSchedule({ cron: null, timezone: null, periodSeconds: 3600 })).toBe("Every hour");
    expect(describeSchedule({ cron: null, timezone: null, periodSeconds: 900 })).toBe("Every 15 minutes");
    expect(describeSchedule({ cron: null, timezone: null, periodSeconds: 7200 }, "ja")).toBe("2 時間ごと");
    // Japanese reads as people say it, not as a word-for-word rendering of the English.
    const ja = (cron: string) => describeSchedule({ cron, timezone: null, periodSeconds: null }, "ja");
    expect(ja("0 3 * * *")).toBe("毎日 03:00");
    expect(ja("30 9 * * 1-5")).toBe("平日 09:30");
    expect(ja("0 7 * * 1")).toBe("毎週月曜 07:00");
    expect(ja("0 3 1 * *")).toBe("毎月 1 日 03:00");
    expect(ja("15 * * * *")).toBe("毎時 15 分");
    expect(ja("*/10 * * * *")).toBe("10 分ごと");
    expect(describeSchedule({ cron: "0 3 * * *", timezone: "Asia/Tokyo", periodSeconds: null }, "ja")).toBe("毎日 03:00 (Asia/Tokyo)");
    expect(describeSchedule({ cron: null, timezone: null, periodSeconds: null })).toBeNull();
  });

  it("finds the next run on the schedule's own wall clock, across a DST change", () => {
    const tokyo = { cron: "30 7 * * *", timezone: "Asia/Tokyo", periodSeconds: null };
    expect(nextExpectedRun(tokyo, { now: new Date("2026-11-23T00:00:00Z"), lastRunAt: null })!.toISOString()).toBe("2026-11-23T22:30:00.000Z");
    // New York leaves daylight time on 1 Nov 2026: 09:00 is 13:00 UTC before, 14:00 UTC after.
    const newYork = { cron: "0 9 * * *", timezone: "America/New_York", periodSeconds: null };
    expect(nextExpectedRun(newYork, { now: new Date("2026-10-31T12:00:00Z"), lastRunAt: null })!.toISOString()).toBe("2026-10-31T13:00:00.000Z");
    expect(nextExpectedRun(newYork, { now: new Date("2026-11-01T12:00:00Z"), lastRunAt: null })!.toISOString()).toBe("2026-11-01T14:00:00.000Z");
    const hourly = { cron: null, timezone: null, periodSeconds: 3600 };
    expect(nextExpectedRun(hourly, { now: new Date(), lastRunAt: new Date("2026-11-23T01:00:00Z") })!.toISOString()).toBe("2026-11-23T02:00:00.000Z");
  });

  it("answers as a fresh parse would for any clock, going forward, back and across slots", () => {
    const schedule = { cron: "*/7 9-17 * * 1-5", timezone: "Europe/Berlin", periodSeconds: null };
    const fresh = (now: Date) => CronExpressionParser.parse(schedule.cron, { currentDate: now, tz: schedule.timezone }).next().toISOString();
    const start = Date.parse("2026-03-27T07:50:00Z"); // Friday, two days before Berlin's DST change
    const clocks = [0, 1, 59_999, 420_000, 420_001, 419_999, 3 * 86_400_000, 30_000, 5 * 86_400_000 + 1].map((ms) => new Date(start + ms));
    for (const now of clocks) expect(nextExpectedRun(schedule, { now, lastRunAt: null })!.toISOString()).toBe(fresh(now));
    expect(nextExpectedRun({ cron: "not a cron", timezone: null, periodSeconds: null }, { now: new Date(start), lastRunAt: null })).toBeNull();
  });
});

describe("interface language", () => {
  it("has every English message in Japanese too, filled in", () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    expect(Object.entries(ja).filter(([, text]) => !text.trim())).toEqual([]);
  });

  it("fills in variables and picks the browser's language", () => {
    expect(translator("ja")("badge.openIncidents", { count: 2 })).toBe("未解決の障害 2 件");
    expect(translator("en")("rerun.title", { job: "Recap" })).toBe("Rerun Recap");
    expect(localeFromAcceptLanguage("ja-JP,ja;q=0.9,en;q=0.8")).toBe("ja");
    expect(localeFromAcceptLanguage("fr-FR,en;q=0.5,ja;q=0.4")).toBe("en");
    expect(localeFromAcceptLanguage(null)).toBe("en");
  });
});

describe("formatting", () => {
  it("formats durations and rates for cards", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(193_000)).toBe("3 m 13 s");
    expect(formatDuration(null)).toBe("—");
    expect(formatPercent(0.923)).toBe("92.3%");
    expect(formatPercent(null)).toBe("—");
  });
});
