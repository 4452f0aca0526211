import { HELP } from "./help";
import { sendReport } from "./hub";
import { UsageError, parseCommand } from "./options";
import { runCommand } from "./run-command";

const VERSION = "0.1.0";

/** Runs the CLI and resolves to the process's exit status (or re-raises the child's signal). */
export async function main(argv: string[]): Promise<void> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`jobboard: ${error.message}\nRun "jobboard --help" for usage.\n`);
    process.exitCode = 2;
    return;
  }

  switch (command.kind) {
    case "help":
      process.stdout.write(HELP);
      return;
    case "version":
      process.stdout.write(`jobboard ${VERSION}\n`);
      return;
    case "report": {
      const { options } = command;
      const warning = await sendReport(options, {
        job_key: options.jobKey!,
        title: options.title ?? options.jobKey!,
        status: command.status,
        finished_at: new Date().toISOString(),
        ...(command.message !== undefined ? { message: command.message } : {}),
        ...(command.exitCode !== undefined ? { exit_code: command.exitCode } : {}),
        ...(options.tags.length ? { tags: options.tags } : {}),
      });
      if (warning) {
        process.stderr.write(`jobboard: ${warning}\n`);
        process.exitCode = 1;
      }
      return;
    }
    case "run": {
      const outcome = await runCommand(command.options, command.command);
      if (outcome.signal) {
        // Exit as the child did: by the same signal, so a calling shell sees 130 for Ctrl+C.
        process.removeAllListeners(outcome.signal);
        process.kill(process.pid, outcome.signal);
        return;
      }
      process.exitCode = outcome.exitCode;
      return;
    }
  }
}
