import { HOUR, type ScenarioModule } from "../scenario";

// Two workspaces with the same jobs doing the same things at the same moments, so their alerts
// share delivery batches; only the first plans a two-hour window for all its jobs. Its alerts
// are held; the other's must go out as if the window did not exist.
export const maintenance: ScenarioModule = {
  name: "maintenance",
  plan: (size) => {
    const start = new Date("2026-11-12T00:00:00Z");
    const from = start.getTime() + 3 * HOUR;
    const jobs = Math.max(10, Math.round(size.jobs / 2));
    return {
      name: "maintenance",
      about: "two workspaces, one of them in maintenance for two hours",
      start,
      hours: 8,
      workspaces: [
        { name: "In maintenance", jobs, seed: size.seed, maintenance: [{ from, to: from + 2 * HOUR }] },
        { name: "Working", jobs, seed: size.seed },
      ],
    };
  },
};
