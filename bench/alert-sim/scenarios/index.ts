import type { ScenarioModule } from "../scenario";
import { agentHostDown } from "./agent-host-down";
import { jobboardOutage } from "./jobboard-outage";
import { maintenance } from "./maintenance";
import { month } from "./month";
import { slackOutage } from "./slack-outage";
import { springForward } from "./spring-forward";

/** Every scenario, in the order they run. */
export const SCENARIOS: ScenarioModule[] = [month, springForward, slackOutage, maintenance, jobboardOutage, agentHostDown];
