import { describe, expect, it } from 'vitest';
import { hostKeyAdvice } from '../../src/domain/ssh-advice.js';
import { SshError, classifyZfsError } from '../../src/adapters/zfs/errors.js';

// The fix for a refused host key, as every command and doctor print it.
describe('hostKeyAdvice', () => {
  const nas = { kind: 'ssh', user: 'root', host: 'nas', port: 2222 } as const;

  it('an unknown key: verify the fingerprint, then the ssh-keyscan line into the file ssh reads', () => {
    const a = hostKeyAdvice(
      'No ED25519 host key is known for [nas]:2222 and you have requested strict checking.\nHost key verification failed.\n',
      nas,
    );
    expect(a).toBe(
      'the host key of nas (port 2222) is not in ~/.ssh/known_hosts; verify its fingerprint first (compare `ssh-keyscan -p 2222 nas | ssh-keygen -lf -` with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` run on nas), then add it: ssh-keyscan -p 2222 nas >> ~/.ssh/known_hosts',
    );
    expect(
      hostKeyAdvice('Host key verification failed.', { kind: 'ssh', host: 'fd00::1' }, [
        'UserKnownHostsFile=/etc/holdfast/known_hosts /etc/holdfast/more',
      ]),
    ).toMatch(/add it: ssh-keyscan fd00::1 >> \/etc\/holdfast\/known_hosts$/);
  });

  it('a changed key: a warning, then ssh-keygen -R and ssh-keyscan', () => {
    const a = hostKeyAdvice('@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.', nas, [
      'LogLevel=ERROR',
      'UserKnownHostsFile /k',
    ]);
    expect(a).toMatch(/has changed since it was recorded in \/k; unless nas was reinstalled, someone may be intercepting the connection/);
    expect(a).toMatch(/then ssh-keygen -R '\[nas\]:2222' -f \/k && ssh-keyscan -p 2222 nas >> \/k$/);
    expect(hostKeyAdvice('Host key for nas has changed and you have requested strict checking.', { kind: 'ssh', host: 'nas' })).toMatch(
      /then ssh-keygen -R nas && ssh-keyscan nas >> ~\/.ssh\/known_hosts$/,
    );
  });

  it('other ssh failures get none; the typed error carries the fix in its message', () => {
    expect(hostKeyAdvice('root@nas: Permission denied (publickey).', nas)).toBeUndefined();
    const e = classifyZfsError('Host key verification failed.\n', ['zfs', 'version'], 255, 'the fix');
    expect(e).toBeInstanceOf(SshError);
    expect(e.message).toBe('Host key verification failed: the fix');
    expect((e as SshError).fix).toBe('the fix');
    expect(classifyZfsError('Host key verification failed.\n', ['zfs', 'version'], 255).message).toBe('Host key verification failed.');
  });
});
