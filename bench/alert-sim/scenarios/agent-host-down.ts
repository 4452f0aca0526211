import { HOUR, type ScenarioModule } from "../scenario";

// One agent runs 50 hourly jobs and is killed for an hour, 20 s into a minute: one "agent
// offline" alert, the lost runs of its jobs (and their recoveries) folded into it, one "back".
export const agentHostDown: ScenarioModule = {
  name: "agent-host-down",
  plan: (size) => {
    const start = new Date("2026-11-16T00:00:00Z");
    const from = start.getTime() + 3 * HOUR + 20_000;
    return {
      name: "agent-host-down",
      about: "an agent host with 50 scheduled jobs down for an hour",
      start,
      hours: 6,
      workspaces: [{ name: "Agent host", jobs: 50, seed: size.seed, agentDown: { from, to: from - 20_000 + HOUR } }],
    };
  },
};
