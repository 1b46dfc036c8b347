import { describe, expect, it } from 'vitest';
import { capabilitiesFromVersion } from '../../src/adapters/zfs/capabilities.js';
import {
  DatasetBusyError,
  DatasetExistsError,
  DatasetNotFoundError,
  InvalidNameError,
  classifyZfsError,
} from '../../src/adapters/zfs/errors.js';
import { parseGetOutput } from '../../src/adapters/zfs/parse-get.js';
import { FLAVOURS, fixture } from '../support/fixtures.js';

// The adapter's parsers and typed errors against output captured from real zfs-fuse and real
// OpenZFS 2.1.11 (test/fixtures, written by test/lab/openzfs-vm/capture-fixtures.sh).
describe('capability probe', () => {
  it('tells OpenZFS from zfs-fuse by `zfs version`', () => {
    const o = fixture('openzfs', 'zfs-version');
    expect(capabilitiesFromVersion(o.exit, o.stdout, o.stderr)).toMatchObject({
      flavor: 'openzfs',
      version: expect.stringMatching(/^2\.1\.11/),
      multiSnapshot: true,
      commaDestroy: true,
      resume: true,
    });
    const f = fixture('zfs-fuse', 'zfs-version');
    expect(capabilitiesFromVersion(f.exit, f.stdout, f.stderr)).toMatchObject({
      flavor: 'zfs-fuse',
      multiSnapshot: false,
      commaDestroy: false,
      resume: false,
    });
  });
});

describe.each(FLAVOURS)('parsing `zfs get -Hp -r` (%s)', (flavour) => {
  it('reads datasets and their snapshots in creation order', () => {
    const f = fixture(flavour, 'get-tree');
    const state = parseGetOutput(f.stdout, f.stderr);
    const root = [...state.datasets.keys()][0]!;
    expect(root).toMatch(/\/hf$/);
    expect([...state.datasets.keys()].some((d) => d.endsWith('with space'))).toBe(true);
    for (const ds of state.datasets.values()) {
      const txgs = ds.snapshots.map((s) => s.createtxg);
      expect(txgs).toEqual([...txgs].sort((a, b) => a - b));
      for (const s of ds.snapshots) expect(s.guid).toMatch(/^\d+$/);
    }
  });

  it('reads hold counts (userrefs)', () => {
    const f = fixture(flavour, 'get-userrefs');
    // get-userrefs lists only userrefs; add a type row per dataset so the parser keeps them.
    const withTypes = f.stdout
      .split('\n')
      .filter((l) => l && !l.split('\t')[0]!.includes('@'))
      .map((l) => `${l.split('\t')[0]}\ttype\tfilesystem`)
      .join('\n');
    const full = parseGetOutput(`${withTypes}\n${f.stdout}`, '');
    expect([...full.datasets.values()].flatMap((d) => d.snapshots).some((s) => s.userrefs > 0)).toBe(true);
  });

  it('names a missing root and still returns the others', () => {
    const f = fixture(flavour, 'get-two-roots-one-missing');
    const state = parseGetOutput(f.stdout, f.stderr);
    expect(state.missing).toHaveLength(1);
    expect(state.missing[0]).toMatch(/\/hf\/missing$/);
    expect(state.datasets.size).toBe(1);
  });
});

describe.each(FLAVOURS)('typed errors from stderr (%s)', (flavour) => {
  const cls = (name: string) => {
    const f = fixture(flavour, name);
    return classifyZfsError(f.stderr, ['zfs'], f.exit);
  };
  it.each([
    ['destroy-held', DatasetBusyError],
    ['destroy-r-one-held', DatasetBusyError],
    ['destroy-missing-snapshot', DatasetNotFoundError],
    ['destroy-r-missing-everywhere', DatasetNotFoundError],
    ['snapshot-exists', DatasetExistsError],
    ['snapshot-r-partly-exists', DatasetExistsError],
    ['snapshot-missing-dataset', DatasetNotFoundError],
    ['snapshot-invalid-name', InvalidNameError],
  ] as const)('%s', (name, Class) => {
    const e = cls(name);
    expect(e).toBeInstanceOf(Class);
    expect(e.message).not.toMatch(/\n/);
  });
});
