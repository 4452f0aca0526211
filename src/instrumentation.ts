// Starts the database when the server starts, so the embedded default migrates, seeds and
// prints its demo login before the first request rather than during it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // First, before anything reads a variable: a configuration the server refuses stops it here.
  const { environmentOrExit } = await import("./server/env-guard");
  const env = environmentOrExit();
  // First, so per-address limits see the socket's address from the first request on.
  const { stampPeerAddresses } = await import("./server/http/peer-address");
  stampPeerAddresses();
  const { getDatabase } = await import("./server/db/client");
  const { demoLoginBanner, seedDemo } = await import("./server/demo/seed");
  const { isDemoSeeded, isInngestConfigured } = await import("./lib/env");
  const { getReporterConfig, sharedSecretNotice, sharedSecretTarget } = await import("./server/ingest/config");
  const { refuseInngestDevInProduction } = await import("./server/inngest-dev-guard");
  refuseInngestDevInProduction(env);
  const database = await getDatabase();
  // The embedded default is for trying Jobboard out, so it has the demo to show. A production
  // server would publish the demo's well-known login: only when asked to (JOBBOARD_DEMO=1).
  if (database.isEmbedded && isDemoSeeded(env)) await seedDemo(database.sql);
  if (!isInngestConfigured(env) && env.JOBBOARD_IN_PROCESS_SCHEDULER !== "0") {
    const { startInProcessScheduler } = await import("./server/schedule/in-process");
    const { getSql } = await import("./server/db/client");
    startInProcessScheduler(getSql);
  }
  if (!isInngestConfigured(env)) {
    // Alerts a previous process wrote but did not get to send (it crashed, or Slack was down).
    const { alertsQueued } = await import("./server/notify/notifier");
    alertsQueued(database.sql);
  }
  const reporter = await getReporterConfig();
  const reportsTo = await sharedSecretTarget(database.sql, reporter).catch(() => null);
  if (database.isEmbedded && isDemoSeeded(env)) {
    const url = env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
    console.log(demoLoginBanner(url, reporter.webhookSecret, reportsTo));
  } else {
    const notice = sharedSecretNotice(reportsTo);
    if (notice) console.log(notice);
  }
}
