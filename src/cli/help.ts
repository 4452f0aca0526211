export const HELP = `jobboard — run a command and tell Jobboard how it went

Usage
  jobboard run [options] -- <command> [args…]
  jobboard report --status success|error [--message TEXT] [options]
  jobboard help [run|report]

jobboard run
  Reports the start (with a fresh run id and this host), runs the command with its stdout and
  stderr passed through unchanged, then reports the finish with exit code, duration and the
  tails of stderr and stdout. Exits with the command's exit code. Ctrl+C or SIGTERM is passed
  to the command; the finish then says "terminated by signal SIGINT" and counts as failed.
  A hub that is down, slow or failing never changes the command's outcome: reports are retried
  with backoff until --hub-timeout, then a warning goes to stderr.

jobboard report
  Sends one finish report, for shell scripts: jobboard report --status error --message "disk full"

Options (each also read from the environment)
  --job-key KEY         JOBBOARD_JOB_KEY, TC_PORTAL_JOB_KEY     the job's key (run: defaults to the command's name)
  --title TEXT          JOBBOARD_JOB_TITLE, TC_PORTAL_JOB_TITLE how the job is shown (defaults to the key)
  --tag TAG             (repeatable)                            tags on the job, also shown in Slack
  --hub-url URL         JOBBOARD_HUB_URL, TC_PORTAL_MONITOR_URL Jobboard's URL (default http://localhost:3000)
  --token SECRET        JOBBOARD_TOKEN, JOBBOARD_NODE_TOKEN,    an ingest key (jb_…) or the webhook secret
                        TC_PORTAL_WEBHOOK_SECRET
  --slack-webhook URL   JOBBOARD_SLACK_WEBHOOK                  also post a summary straight to Slack
  --hub-timeout DUR     JOBBOARD_HUB_TIMEOUT                    total time to keep trying the hub (default 60s)
  --slack-timeout DUR   JOBBOARD_SLACK_TIMEOUT                  time allowed for Slack (default 10s)
  -h, --help                                                    this help
  --status, --message, --exit-code                              (report only)

Durations: 500ms, 60s, 2m, 1h, or a number of seconds.

Examples
  jobboard run --job-key nightly-train --tag gpu -- python train.py --epochs 50
  JOBBOARD_HUB_URL=https://jobs.example.com JOBBOARD_TOKEN=jb_… jobboard run -- ./backup.sh

Exit status: the command's own; 2 for a usage error; 127 when the command cannot be started.
`;
