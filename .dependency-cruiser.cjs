// The import rules of holdfast's layers (docs/design.md, "Layers"), checked by
// test/unit/architecture.test.ts in the unit lane (and by `npx depcruise src`).
// Type-only imports and import() count: a cycle or a wrong-way import is one either way.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'no-cycles: modules in a cycle cannot be read, tested or loaded one without the other. Move what both need (often a type) into a module both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'domain-is-pure: domain/ is pure logic with `now` as a parameter; it imports only domain/ and luxon (no node:*, no I/O package, no config/app/cli/adapters/infra). Pass the value in instead.',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '(^|/)node_modules/luxon/', '(^|/)node_modules/@types/luxon/'] },
    },
    {
      name: 'app-stays-inside',
      severity: 'error',
      comment:
        'app-stays-inside: a use case reaches the world only through the ports it declares (app/**/ports.ts); cli/ calls app, never the other way, and adapters and infra are wired in by cli/compose/.',
      from: { path: '^src/app/' },
      to: { path: '^src/(cli|adapters|infra)/' },
    },
    {
      name: 'adapters-behind-ports',
      severity: 'error',
      comment:
        'adapters-behind-ports: an adapter implements a port; from app/ it may import only the port and type modules (app/ports.ts, app/<feature>/ports.ts), never a use case, and never cli/.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(cli|app)/', pathNot: ['^src/app/ports[.]ts$', '^src/app/[^/]+/ports[.]ts$'] },
    },
    {
      name: 'config-stays-inside',
      severity: 'error',
      comment:
        'config-stays-inside: config/ reads and checks the policy file into typed values; app/ and cli/ read it, it never imports app/, cli/ or adapters/.',
      from: { path: '^src/config/' },
      to: { path: '^src/(app|cli|adapters)/' },
    },
    {
      name: 'typed-config-only',
      severity: 'error',
      comment:
        "typed-config-only: nothing outside config/ reads a key by its name. The parsed values (config/parsed.ts) and their accessor (config/resolve.ts) are config/'s own; read the typed sections of the PolicyFile (config/policy-file.ts, config/sections/), and give a new key a field there.",
      from: { path: '^src/', pathNot: '^src/config/' },
      to: { path: '^src/config/(parsed|resolve)[.]ts$' },
    },
    {
      name: 'one-composition-root',
      severity: 'error',
      comment:
        'one-composition-root: in cli/ only cli/compose/ imports adapters/ and infra/ (wiring them into the app); commands read flags, call a use case through it, render and exit.',
      from: { path: '^src/cli/', pathNot: '^src/cli/compose/' },
      to: { path: '^src/(adapters|infra)/' },
    },
    {
      name: 'one-process-layer',
      severity: 'error',
      comment:
        'one-process-layer: every program holdfast starts goes through adapters/exec/process.ts (execa: an argv, no shell, the environment without secrets, stopped when the run is interrupted and when holdfast exits); start it there, never with node:child_process or execa directly.',
      from: { path: '^src/', pathNot: '^src/adapters/exec/process[.]ts$' },
      to: { path: ['^child_process$', '(^|/)node_modules/execa/', '^execa$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6'],
  },
};
