import { describe, expect, it } from 'vitest';
import { minimalSsh } from '../../src/adapters/pipeline/pipeline.js';
import { sshTarget } from '../../src/app/doctor/finding.js';
import { sourceLabel } from '../../src/domain/backup/source.js';
import { LOCAL, type SshEndpoint, placeLabel, remotePathLabel, sshDestination } from '../../src/domain/endpoint.js';

const full: SshEndpoint = { kind: 'ssh', user: 'root', host: 'nas', port: 2222 };
const bare: SshEndpoint = { kind: 'ssh', host: 'fe80::1' };

// One function per form of a place: as the policy file writes it (logs, messages, tables), as a
// backup source writes it (rsync's form), and ssh's own destination argument.
describe('endpoint labels', () => {
  it('placeLabel: as the config writes it, ports and users as written, IPv6 in brackets', () => {
    expect(placeLabel(LOCAL, 'tank/data')).toBe('tank/data');
    expect(placeLabel(LOCAL)).toBe('this host');
    expect(placeLabel(full, 'pool/x')).toBe('ssh:2222:root@nas:pool/x');
    expect(placeLabel(bare)).toBe('ssh::[fe80::1]');
  });

  it("a backup source reads as rsync's form without a port, as the config's with one", () => {
    expect(remotePathLabel({ kind: 'ssh', user: 'u', host: '::1' }, '/home')).toBe('u@[::1]:/home');
    expect(sourceLabel({ kind: 'remote', endpoint: { kind: 'ssh', user: 'u', host: 'h' }, path: '/home' })).toBe('u@h:/home');
    expect(sourceLabel({ kind: 'remote', endpoint: full, path: '/home' })).toBe('ssh:2222:root@nas:/home');
  });

  it("ssh's destination argument, in the printed pipelines and doctor's fixes alike", () => {
    expect(sshDestination(full)).toBe('root@nas');
    expect(sshDestination(bare)).toBe('fe80::1');
    expect(minimalSsh(full)).toEqual(['ssh', '-p', '2222', 'root@nas']);
    expect(sshTarget(full)).toBe('-p 2222 root@nas');
    expect(sshTarget(bare)).toBe('fe80::1');
  });
});
