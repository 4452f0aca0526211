import { describe, expect, it } from "vitest";
import { formatInZone, formatRelative } from "@/lib/time";
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

  it("says how long ago in words", () => {
    expect(formatRelative(new Date("2026-11-23T00:25:00Z"), instant)).toBe("5 minutes ago");
  });
});
