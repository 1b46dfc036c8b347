// The config file could not be read at all (missing, unreadable): a usage error. Its own
// module, free of imports, so cli/main.ts can test for it without loading the config parser.
export class ConfigFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'ConfigFileError';
  }
}
