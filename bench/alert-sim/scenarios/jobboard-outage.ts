import { HOUR, type ScenarioModule } from "../scenario";

// Jobboard itself is down for two hours: no tick, no delivery, and the scripts' reports spooled by
// the CLI, replayed with their real times in the minutes after. A slot that fell inside is judged
// only after its catch-up (the job's grace or 10 minutes, whichever is longer), so a replayed
// report settles it with no alert; one in ten of them had no run at all, and alerts once after.
export const jobboardOutage: ScenarioModule = {
  name: "jobboard-outage",
  plan: (size) => {
    const start = new Date("2026-11-14T00:00:00Z");
    const from = start.getTime() + 3 * HOUR;
    return {
      name: "jobboard-outage",
      about: "Jobboard down for two hours, the CLI's spooled reports replayed after",
      start,
      hours: 8,
      workspaces: [{ name: "Spooling", jobs: size.jobs, seed: size.seed }],
      jobboardOutages: [{ from, to: from + 2 * HOUR }],
      missingInOutage: 0.1,
    };
  },
};
