import type { HelpTopic } from "./options";

const USAGE = `jobboard — run a command and tell Jobboard how it went, or run an agent for Jobboard

Usage
  jobboard run [options] -- <command> [args…]
  jobboard report --status success|error [--message TEXT] [options]
  jobboard agent --config <file> [--hub-url URL] [--token jba_…]
  jobboard spool status|flush [--hub-url URL] [--token SECRET]
  jobboard help [run|report|agent|spool]
`;

const RUN = `jobboard run
  Reports the start (with this host and a run id: JOBBOARD_RUN_ID when set, as under the
  agent, else a fresh one), runs the command with its stdout and stderr passed through
  unchanged, then reports the finish with exit code, duration and the tails of stderr and
  stdout. Exits with the command's exit code. Ctrl+C or SIGTERM is passed to the command; the
  finish then says "terminated by signal SIGINT" and counts as failed.
  A hub that is down, slow or failing never changes the command's outcome: the finish is tried
  for up to --hub-timeout, then saved in the spool (a warning on stderr names the file) and
  sent by the next jobboard run, report, agent or spool flush.
`;

const REPORT = `jobboard report
  Sends one finish report, for shell scripts: jobboard report --status error --message "disk full"
  Sends JOBBOARD_RUN_ID as its run id when set. If the hub cannot be reached the report is
  spooled and the exit status is still 0; a refusal by the hub exits 1.
`;

const OPTIONS = `Options of run and report (each also read from the environment)
  --job-key KEY         JOBBOARD_JOB_KEY, TC_PORTAL_JOB_KEY     the job's key (run: defaults to the command's name)
  --title TEXT          JOBBOARD_JOB_TITLE, TC_PORTAL_JOB_TITLE how the job is shown (a new job: its key; else unchanged)
  --tag TAG             (repeatable)                            tags on the job, also shown in Slack
  --hub-url URL         JOBBOARD_HUB_URL, TC_PORTAL_MONITOR_URL Jobboard's URL (default http://localhost:3000)
  --token SECRET        JOBBOARD_TOKEN, JOBBOARD_NODE_TOKEN,    an ingest key (jb_…) or the webhook secret
                        TC_PORTAL_WEBHOOK_SECRET
  --slack-webhook URL   JOBBOARD_SLACK_WEBHOOK                  also post a summary straight to Slack
  --hub-timeout DUR     JOBBOARD_HUB_TIMEOUT                    time to keep trying one report before spooling it (default 3s)
  --slack-timeout DUR   JOBBOARD_SLACK_TIMEOUT                  time allowed for Slack (default 10s)
  -h, --help                                                    this help
  --status, --message, --exit-code                              (report only)
                        JOBBOARD_RUN_ID                         the run these reports belong to (set by the agent)
                        JOBBOARD_SPOOL_DIR                      where unsent reports wait (default ~/.jobboard/spool)

Durations: 500ms, 60s, 2m, 1h, or a number of seconds.
`;

const AGENT = `jobboard agent
  Runs on the machine where the jobs live and runs them when Jobboard asks: registers the jobs
  its config declares, then long-polls the hub for runs, starts each job's command (no shell;
  parameters arrive as JOBBOARD_PARAMS and JOBBOARD_PARAM_<NAME>), sends its output tails with
  each heartbeat and its outcome when it ends. Only outbound HTTPS: no open port, no VPN.
  A hub that is unreachable is retried with backoff, never giving up; finishes it cannot take
  are spooled. SIGINT or SIGTERM stops claiming, ends the running commands and exits 0.

  --config FILE, -c     the agent's JSON config: {"hub_url", "max_concurrency", "labels",
                        "kill_grace", "jobs": {"<job key>": {"command": [...], "cwd", "env",
                        "timeout", "title"}}}
  --hub-url URL         JOBBOARD_HUB_URL, else the config's hub_url (default http://localhost:3000)
  --token jba_…         JOBBOARD_AGENT_TOKEN: an agent token from Settings → Agents
  --hub-timeout DUR     JOBBOARD_HUB_TIMEOUT: time to keep trying a finish before spooling it (default 3s)

  Exit status: 0 when stopped by a signal; 2 for a bad config, a missing token or a usage
  error; 3 when the hub refuses the token (unknown or revoked); 1 for anything else.
`;

const SPOOL = `jobboard spool
  status   how many reports and finishes wait in the spool, per hub, the oldest's time, and
           where the spool is (JOBBOARD_SPOOL_DIR, default ~/.jobboard/spool)
  flush    sends this hub's waiting entries now, in order; exits 0 when none is left for this
           hub and these tokens, 1 otherwise

  --hub-url URL         JOBBOARD_HUB_URL, TC_PORTAL_MONITOR_URL (default http://localhost:3000)
  --token SECRET        (repeatable) also JOBBOARD_TOKEN and JOBBOARD_AGENT_TOKEN: an entry is
                        only sent with the token it was made with (the spool keeps a
                        fingerprint, never the token)
`;

const EXAMPLES = `Examples
  jobboard run --job-key nightly-train --tag gpu -- python train.py --epochs 50
  JOBBOARD_HUB_URL=https://jobs.example.com JOBBOARD_TOKEN=jb_… jobboard run -- ./backup.sh
  JOBBOARD_AGENT_TOKEN=jba_… jobboard agent --config /etc/jobboard/agent.json

Exit status of run: the command's own; 2 for a usage error; 127 when the command cannot be started.
`;

export const HELP = [USAGE, RUN, REPORT, OPTIONS, AGENT, SPOOL, EXAMPLES].join("\n");

/** The whole help, or the part about one command. */
export function helpFor(topic?: HelpTopic): string {
  switch (topic) {
    case "run":
      return [USAGE, RUN, OPTIONS].join("\n");
    case "report":
      return [USAGE, REPORT, OPTIONS].join("\n");
    case "agent":
      return [USAGE, AGENT].join("\n");
    case "spool":
      return [USAGE, SPOOL].join("\n");
    default:
      return HELP;
  }
}
