// POSIX single-quote quoting: the one way an argv becomes shell text. Used at the ssh boundary
// (the remote side always runs a shell) and to print copy-pasteable commands.
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_\-+=.,:/@%^]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// An argv as one shell command line.
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
