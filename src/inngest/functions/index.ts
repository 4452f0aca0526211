import { executeRun } from "./execute-run";
import { deliverAlerts } from "./notify";
import { retention } from "./retention";
import { scheduleTick } from "./schedule-tick";

export const functions = [executeRun, scheduleTick, deliverAlerts, retention];
