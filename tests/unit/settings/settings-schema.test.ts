import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/action-state";
import { workspaceSettingsSchema } from "@/server/settings/schemas";

const form = (overrides: Record<string, string> = {}) => ({
  name: "Ops",
  timezone: "Asia/Tokyo",
  retentionDays: "7",
  runHistoryDays: "90",
  defaultGraceSeconds: "300",
  ...overrides,
});

describe("workspace settings input", () => {
  it("reads the run history in whole days, from 1 to 3650", () => {
    expect(workspaceSettingsSchema.parse(form()).runHistoryDays).toBe(90);
    expect(workspaceSettingsSchema.parse(form({ runHistoryDays: "3650" })).runHistoryDays).toBe(3650);
    for (const [value, message] of [
      ["0", "Run history must be at least 1"],
      ["3651", "Run history must be at most 3650"],
      ["1.5", "Run history must be a whole number"],
      ["soon", "Run history must be a number"],
    ] as const) {
      const result = workspaceSettingsSchema.safeParse(form({ retentionDays: "1", runHistoryDays: value }));
      expect(fieldErrors(result.error!).fieldErrors, value).toEqual({ runHistoryDays: message });
    }
  });

  it("refuses a run history shorter than the log retention, on the run history field", () => {
    const result = workspaceSettingsSchema.safeParse(form({ retentionDays: "30", runHistoryDays: "14" }));
    expect(fieldErrors(result.error!).fieldErrors).toEqual({
      runHistoryDays: "Run history must be at least as long as log retention (logs go with their runs)",
    });
    expect(workspaceSettingsSchema.safeParse(form({ retentionDays: "30", runHistoryDays: "30" })).success).toBe(true);
  });
});
