import { isInngestConfigured } from "@/lib/env";
import type { Sql } from "../db/sql";
import { alertsQueued as alertsQueuedEvent } from "../events";
import { deliverPendingAlerts } from "./deliver";


type InProcessState = { running: boolean; again: boolean; timer?: ReturnType<typeof setTimeout>; sql?: Sql };
// One notifier per process, kept on globalThis so Next's module reloads find the running one.
const holder = globalThis as typeof globalThis & { __jobboardAlertNotifier?: InProcessState };

function state(): InProcessState {
  holder.__jobboardAlertNotifier ??= { running: false, again: false };
  return holder.__jobboardAlertNotifier;
}

/** Delivers in this process, one delivery at a time, and comes back when the next retry is due. */
function deliverInProcess(sql: Sql): Promise<void> {
  const current = state();
  current.sql = sql;
  if (current.running) {
    current.again = true;
    return Promise.resolve();
  }
  current.running = true;
  if (current.timer) clearTimeout(current.timer);
  current.timer = undefined;
  return (async () => {
    let nextAttemptAt: Date | null = null;
    try {
      do {
        current.again = false;
        ({ nextAttemptAt } = await deliverPendingAlerts(sql));
      } while (current.again);
    } catch (error) {
      console.error("alert delivery failed; it is retried", error);
      nextAttemptAt = new Date(Date.now() + 30_000);
    } finally {
      current.running = false;
    }
    if (nextAttemptAt) {
      const wait = Math.max(250, nextAttemptAt.getTime() - Date.now());
      current.timer = setTimeout(() => void deliverInProcess(sql), wait);
      current.timer.unref?.();
    }
  })();
}

async function announceToInngest(): Promise<void> {
  const { inngest } = await import("@/inngest/client");
  await inngest.send(alertsQueuedEvent());
}

/**
 * Called after a transaction that wrote alerts has committed. Delivery happens elsewhere (an
 * Inngest function, or this process in the background), so the caller is never slowed or failed
 * by Slack; whatever is not delivered now stays pending for the next delivery or the tick.
 */
export function alertsQueued(sql: Sql): void {
  if (isInngestConfigured()) {
    announceToInngest().catch((error: unknown) => console.error("could not tell Inngest about new alerts; the tick delivers them", error));
    return;
  }
  void deliverInProcess(sql);
}

/** Delivers what is pending now and waits for it: the tick's sweep. */
export async function sweepAlerts(sql: Sql): Promise<void> {
  if (isInngestConfigured()) {
    await deliverPendingAlerts(sql);
    return;
  }
  await deliverInProcess(sql);
}
