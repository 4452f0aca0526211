import { describe, expect, it } from "vitest";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { formatInZone, formatRelative, formatShortInZone } from "@/lib/time";
import { slugify } from "@/server/workspaces/slug";

describe("slugify", () => {
  it("makes URL-safe slugs and falls back when nothing Latin is left", () => {
    expect(slugify("Platform Team (Tokyo)")).toBe("platform-team-tokyo");
    expect(slugify("Café Ops")).toBe("cafe-ops");
    expect(slugify("経理チーム")).toBe("workspace");
    expect(slugify("x".repeat(80))).toHaveLength(40);
  });
});

describe("times in the workspace timezone", () => {
  const instant = new Date("2026-11-23T00:30:00Z");

  it("shows the same instant as each workspace's wall clock", () => {
    expect(formatInZone(instant, "Asia/Tokyo")).toBe("2026-11-23 09:30 UTC+09:00");
    expect(formatInZone(instant, "America/New_York")).toBe("2026-11-22 19:30 UTC-05:00");
    expect(formatInZone(instant, "UTC")).toBe("2026-11-23 00:30 UTC+00:00");
  });

  it("follows DST and offsets that are not whole hours", () => {
    expect(formatInZone(new Date("2026-03-08T06:59:00Z"), "America/New_York")).toBe("2026-03-08 01:59 UTC-05:00");
    expect(formatInZone(new Date("2026-03-08T07:00:00Z"), "America/New_York")).toBe("2026-03-08 03:00 UTC-04:00");
    expect(formatInZone(instant, "Asia/Kolkata")).toBe("2026-11-23 06:00 UTC+05:30");
    expect(formatInZone(instant, "Asia/Kathmandu")).toBe("2026-11-23 06:15 UTC+05:45");
    expect(formatShortInZone(new Date("2026-12-31T15:00:00Z"), "Asia/Tokyo")).toBe("01-01 00:00");
  });

  it("agrees with date-fns' timezone formatting across zones and a century of instants", () => {
    const zones = ["UTC", "Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      const date = new Date(Date.UTC(1970, 0, 1) + Math.floor(random() * 100 * 365.25 * 86_400_000));
      for (const zone of zones) {
        const zoned = new TZDate(date.getTime(), zone);
        expect(formatInZone(date, zone)).toBe(format(zoned, "yyyy-MM-dd HH:mm 'UTC'xxx"));
        expect(formatShortInZone(date, zone)).toBe(format(zoned, "MM-dd HH:mm"));
      }
    }
  });

  it("says how long ago in words", () => {
    expect(formatRelative(new Date("2026-11-23T00:25:00Z"), instant)).toBe("5 minutes ago");
  });
});
