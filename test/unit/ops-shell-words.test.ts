import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../src/config/keys/shell-words.js';

// notify_command is split like sh splits words, without a shell: what needs one is refused.
describe('splitShellWords', () => {
  const argv = (t: string) => {
    const r = splitShellWords(t);
    if ('error' in r) throw new Error(r.error);
    return r.argv;
  };
  const error = (t: string) => {
    const r = splitShellWords(t);
    return 'error' in r ? r.error : undefined;
  };

  it('splits words, honouring quotes and backslashes as sh does', () => {
    expect(argv('mail -s "holdfast failed" root')).toEqual(['mail', '-s', 'holdfast failed', 'root']);
    expect(argv(`sh -c 'cat > /tmp/x; echo "$HOLDFAST_STATUS"'`)).toEqual(['sh', '-c', 'cat > /tmp/x; echo "$HOLDFAST_STATUS"']);
    expect(argv('a\\ b "c\\"d" e"f"g \'\'')).toEqual(['a b', 'c"d', 'efg', '']);
    expect(argv('  /usr/sbin/sendmail   -t  ')).toEqual(['/usr/sbin/sendmail', '-t']);
    expect(argv('notify --tag=a#b')).toEqual(['notify', '--tag=a#b']);
  });

  it('refuses what only a shell would understand, and says how to get one', () => {
    for (const t of [
      'mail root | tee x',
      'a; b',
      'a && b',
      'echo $HOME',
      'echo `id`',
      'cat > x',
      'ls *',
      '~/bin/notify',
      'a # comment',
      'echo "$HOME"',
    ]) {
      expect(error(t), t).toMatch(/needs a shell; notify_command runs without a shell/);
    }
    expect(error('mail "unbalanced')).toMatch(/unbalanced "/);
    expect(error("mail 'unbalanced")).toMatch(/unbalanced '/);
    expect(error('   ')).toBe('empty command');
  });
});
