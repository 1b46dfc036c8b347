import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// One captured command (test/btrfs/fixtures/NAME.txt, written by capture.sh).
export interface Fixture {
  readonly command: string;
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function fixture(name: string): Fixture {
  const text = readFileSync(fileURLToPath(new URL(`../fixtures/${name}.txt`, import.meta.url)), 'utf8');
  const command = /^# command: (.*)$/m.exec(text)?.[1] ?? '';
  const exit = Number(/^# exit: (\d+)$/m.exec(text)?.[1]);
  const out = text.indexOf('# stdout\n');
  const err = text.indexOf('\n# stderr\n');
  return { command, exit, stdout: text.slice(out + '# stdout\n'.length, err + 1), stderr: text.slice(err + '\n# stderr\n'.length) };
}
