// A dataset (or location) that failed in a run, and why; a failure never stops the others.
export interface Failure {
  readonly target: string;
  readonly stage: string; // what was being done: list, take, clean, send, ...
  readonly message: string;
}

// A one-line message from anything thrown, without stack traces.
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
