// Another run holds the lock (exit code 3). Its own module, free of imports, so cli/main.ts can
// test for it without loading the lock adapter.
export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string,
  ) {
    super(`another holdfast run holds ${path}${holder ? ` (${holder})` : ''}; it is still running, or use --wait`);
    this.name = 'LockHeldError';
  }
}
