// zfs stderr becomes typed errors here, and only here. Each regex sits beside its class and
// is tested against output captured from zfs-fuse and OpenZFS (test/fixtures/).

export class ZfsError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly argv: readonly string[],
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ZfsError';
  }
}

export class DatasetNotFoundError extends ZfsError {
  static readonly pattern = /cannot (?:open|destroy|snapshot|hold|release|receive|send) '([^']+)': dataset does not exist/;
  override name = 'DatasetNotFoundError';
}

export class DatasetExistsError extends ZfsError {
  static readonly pattern = /cannot create snapshot '([^']+)': dataset already exists/;
  override name = 'DatasetExistsError';
}

export class DatasetBusyError extends ZfsError {
  static readonly pattern = /cannot destroy '([^']+)': dataset is busy/;
  override name = 'DatasetBusyError';
}

export class InvalidNameError extends ZfsError {
  static readonly pattern = /cannot \w+ '([^']+)': invalid character/;
  override name = 'InvalidNameError';
}

export class ZfsNotFoundError extends ZfsError {
  static readonly pattern = /(?:zfs: command not found|zfs: not found|No such file or directory.*zfs)/;
  override name = 'ZfsNotFoundError';
}

export class SshError extends ZfsError {
  // ssh exits 255 on its own failures; its messages start with "ssh:" or name the connection.
  static readonly pattern = /^(ssh: .*|.*Connection (?:refused|closed|timed out|reset).*|.*Permission denied \(publickey.*|Host key verification failed\.)$/m;
  override name = 'SshError';
}

const CLASSES = [DatasetNotFoundError, DatasetExistsError, DatasetBusyError, InvalidNameError, ZfsNotFoundError, SshError] as const;

// The most specific error for a failed zfs call. The message is its first stderr line.
export function classifyZfsError(stderr: string, argv: readonly string[], exitCode: number): ZfsError {
  const first = stderr.split('\n').find((l) => l.trim() !== '')?.trim() ?? `${argv.join(' ')} exited ${exitCode}`;
  for (const C of CLASSES) {
    if (C === SshError && exitCode !== 255) continue;
    const m = C.pattern.exec(stderr);
    if (m) return new C(C === SshError ? m[1]!.trim() : first, stderr, argv, exitCode);
  }
  return new ZfsError(first, stderr, argv, exitCode);
}
