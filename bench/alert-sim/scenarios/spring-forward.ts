import type { ScenarioModule } from "../scenario";

// 8 March 2026: the United States and Canada spring forward at 02:00, from Newfoundland (05:30
// UTC) to Alaska (11:00 UTC). Daily jobs at 01:xx, 02:xx (which does not exist that night) and 03:xx.
export const springForward: ScenarioModule = {
  name: "spring-forward",
  plan: (size) => ({
    name: "spring-forward",
    about: "a US spring-forward night, daily jobs in the hour it skips",
    start: new Date("2026-03-08T03:00:00Z"),
    hours: 12,
    workspaces: [{
      name: "Americas",
      jobs: size.jobs,
      seed: size.seed,
      mix: {
        zones: ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage", "America/St_Johns", "America/Halifax", "America/Phoenix"],
        dailyHours: [1, 2, 3],
      },
    }],
  }),
};
