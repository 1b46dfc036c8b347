import { defineConfig } from 'vitest/config';

// One project per kind of real component a test needs, so `--project unit` stays instant
// and the lanes that need zfs-fuse, sshd, Swift, btrfs or the OpenZFS VM start only those.
// The lanes run one after another (sequence.groupOrder): each has its own worker count, and
// they share one zfs-fuse daemon and two CPUs.
export default defineConfig({
  // The tests run the process layer on execa itself; the build runs it on dist/vendor/execa.js.
  resolve: { alias: { '#execa': 'execa' } },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'zfs',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-zfs.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // zfs-fuse is one daemon for the machine; two files at a time keeps it busy but sane.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 's3',
          sequence: { groupOrder: 2 },
          include: ['test/s3/**/*.test.ts'],
          globalSetup: ['test/helpers/global-swift.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
        },
      },
      {
        test: {
          name: 'btrfs',
          sequence: { groupOrder: 3 },
          include: ['test/btrfs/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
        },
      },
      {
        test: {
          // Real OpenZFS 2.1 in a qemu VM (test/lab/openzfs-vm): the modern paths zfs-fuse lacks.
          name: 'vm',
          sequence: { groupOrder: 4 },
          include: ['test/vm/**/*.test.ts'],
          globalSetup: ['test/helpers/global-vm.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
