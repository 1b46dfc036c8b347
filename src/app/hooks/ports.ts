// How a consistency hook ended: its exit status (128 + N after signal N), whether it was killed
// for running past hook_timeout, and the last lines it printed (for the failure's message).
export interface HookExit {
  readonly exitCode: number;
  readonly output: string;
  readonly timedOut?: true;
}

// Runs hooks for a run. `refused` says why none may run: the policy file is writable by others
// (a hook runs as whoever runs holdfast, as notify_command does).
export interface HookPort {
  run(argv: readonly string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<HookExit>;
  readonly refused?: string;
}
