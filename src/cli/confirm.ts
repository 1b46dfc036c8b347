import { createInterface } from 'node:readline';
import { UsageError } from './exit-codes.js';

// How a destructive manual command asks: on the terminal it runs on. Injectable for tests.
export interface ConfirmIO {
  readonly interactive: boolean; // stdin is a terminal
  ask(question: string): Promise<string>;
}

export const terminalIO = (): ConfirmIO => ({
  interactive: Boolean(process.stdin.isTTY),
  ask: (question) =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      let answered = false;
      rl.question(question, (a) => {
        answered = true;
        rl.close();
        resolve(a);
      });
      rl.on('close', () => !answered && resolve('')); // Ctrl-D: no
    }),
});

// Without a terminal to ask on and without --yes, nothing is destroyed (exit 2).
export class ConfirmationRefusedError extends UsageError {
  override name = 'ConfirmationRefusedError';
}

// Every manual command that destroys something calls this after listing its actions (a policy
// command run from cron, `holdfast snap`, never does). --yes skips the question; no terminal and
// no --yes refuses; on a terminal only "y" or "yes" goes ahead. Returns whether to go ahead.
export async function confirmActions(what: string, count: number, o: { yes?: boolean }, io: ConfirmIO = terminalIO()): Promise<boolean> {
  if (count === 0 || o.yes) return true;
  if (!io.interactive) {
    throw new ConfirmationRefusedError(
      `refusing to ${what} without confirmation: there is no terminal to ask on. Run it again with --yes to go ahead, or with --dry-run to only list the actions`,
    );
  }
  const answer = await io.ask(`${what[0]!.toUpperCase()}${what.slice(1)}? [y/N] `);
  return /^\s*y(es)?\s*$/i.test(answer);
}
