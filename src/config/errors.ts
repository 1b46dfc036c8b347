import { UsageError } from '../domain/errors.js';

// The config file could not be read at all (missing, unreadable): a usage error. Its own
// module, importing only the import-free error base, so cli/main.ts can test for it without
// loading the config parser.
export class ConfigFileError extends UsageError {
  override name = 'ConfigFileError';

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
