// How notifications leave the machine (adapters/notify implements it).
export interface NotifyPorts {
  // POST the body; resolves with the HTTP status, rejects when no answer came in time.
  post(url: string, body: string, timeoutMs: number): Promise<{ status: number }>;
  // Run argv (no shell) with input on stdin; resolves with its exit code (124 on timeout).
  run(
    argv: readonly string[],
    input: string,
    env: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<{ exitCode: number; stderr: string }>;
}
