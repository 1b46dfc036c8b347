import { describe, expect, it } from 'vitest';
import { ConfirmationRefusedError, type ConfirmIO, confirmActions } from '../../src/cli/confirm.js';

// The confirmation rule every destructive manual command shares (the real terminal is driven
// in test/integration/confirm.test.ts).
const io = (interactive: boolean, answer = ''): ConfirmIO & { asked: string[] } => {
  const asked: string[] = [];
  return { interactive, asked, ask: async (q) => (asked.push(q), answer) };
};

describe('confirmActions', () => {
  it.each([
    ['y', true],
    ['yes', true],
    [' YES ', true],
    ['n', false],
    ['', false],
    ['yep', false],
  ])('answer %j → %s', async (answer, go) => {
    const t = io(true, answer);
    expect(await confirmActions('destroy 2 snapshots', 2, {}, t)).toBe(go);
    expect(t.asked).toEqual(['Destroy 2 snapshots? [y/N] ']);
  });
  it('--yes goes ahead without asking, with or without a terminal', async () => {
    const t = io(false);
    expect(await confirmActions('destroy 2 snapshots', 2, { yes: true }, t)).toBe(true);
    expect(t.asked).toEqual([]);
  });
  it('refuses without a terminal and without --yes (a usage error: exit 2)', async () => {
    await expect(confirmActions('destroy 2 snapshots', 2, {}, io(false))).rejects.toThrow(ConfirmationRefusedError);
    await expect(confirmActions('destroy 2 snapshots', 2, {}, io(false))).rejects.toThrow(/--yes/);
  });
  it('nothing to do needs no answer', async () => expect(await confirmActions('destroy 0 snapshots', 0, {}, io(false))).toBe(true));
});
