import { executeRun } from "./execute-run";
import { notifyOnJobMissed, notifyOnRunFinished } from "./notify";
import { retention } from "./retention";
import { scheduleTick } from "./schedule-tick";

export const functions = [executeRun, scheduleTick, notifyOnRunFinished, notifyOnJobMissed, retention];
