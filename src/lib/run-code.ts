/**
 * What a run's `exit_code` means: an HTTP job keeps its response's status there, every other kind
 * a process's exit code. The job's kind decides, so "HTTP 500" never reads as "exit code 500".
 */
export type RunCode = { kind: "exit"; code: number } | { kind: "http"; status: number };

export function runCode(jobKind: string, code: number | null): RunCode | null {
  if (code === null) return null;
  return jobKind === "http" ? { kind: "http", status: code } : { kind: "exit", code };
}
