import { describe, expect, it } from 'vitest';
import { childEnv, markSecretEnv } from '../../src/adapters/exec/child-env.js';

describe('the environment children get', () => {
  it('keeps what programs need and drops S3 secrets and a key variable once marked', () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/root',
      LANG: 'C.UTF-8',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
      HOLDFAST_S3_SECRET_KEY: 'x',
      BACKUP_KEY: 'k',
    };
    expect(childEnv(env)).toEqual({ PATH: '/usr/bin', HOME: '/root', LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: 'AKIA', BACKUP_KEY: 'k' });
    markSecretEnv('BACKUP_KEY');
    expect(childEnv(env)).not.toHaveProperty('BACKUP_KEY');
  });
});
