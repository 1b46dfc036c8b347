import { HoldfastError } from '../../domain/errors.js';

// Another run holds the lock (the cli exits 3: cli/compose/env.ts turns it into RunLockedError).
export class LockHeldError extends HoldfastError {
  override name = 'LockHeldError';
  override readonly exit = 'locked';

  constructor(
    readonly path: string,
    readonly holder: string,
  ) {
    super(`another holdfast run holds ${path}${holder ? ` (${holder})` : ''}; it is still running, or use --wait`);
  }
}
