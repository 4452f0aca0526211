import type { ScenarioModule } from "../scenario";

// From 3 October 2026: Sydney springs forward on the 4th, London falls back on the 25th and New
// York on 1 November, so a month crosses all three.
export const month: ScenarioModule = {
  name: "month",
  plan: (size) => ({
    name: "month",
    about: "jobs in twenty zones across their clock changes",
    start: new Date(process.env.SIM_START ?? "2026-10-03T00:00:00Z"),
    hours: size.days * 24,
    workspaces: [{ name: "World", jobs: size.jobs, seed: size.seed }],
  }),
};
