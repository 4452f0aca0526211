import { HOUR, MINUTE, type ScenarioModule } from "../scenario";

// Slack answers 503 for 30 minutes: what falls due meanwhile must arrive after, not be lost.
export const slackOutage: ScenarioModule = {
  name: "slack-outage",
  plan: (size) => {
    const start = new Date("2026-11-10T00:00:00Z");
    const down = start.getTime() + 4 * HOUR;
    return {
      name: "slack-outage",
      about: "Slack refuses every message for 30 minutes",
      start,
      hours: 8,
      workspaces: [{ name: "Outage", jobs: size.jobs, seed: size.seed }],
      slackOutages: [{ from: down, to: down + 30 * MINUTE }],
    };
  },
};
