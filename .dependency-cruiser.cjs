// The house rules `npm test` checks (npm run check:layers): no import cycles, and imports only downward through
// the layers of src/ (docs/architecture.md). The same rules hold for test/fixtures/layers/src, a small tree that
// breaks them on purpose (test/unit/layers.test.ts).

/** Each layer of src/, top down, and the layers it may import besides its own. */
const LAYERS = {
  entry: ['interfaces', 'jobs', 'analysis', 'taxonomy', 'storage', 'domain', 'base'],
  interfaces: ['jobs', 'analysis', 'taxonomy', 'storage', 'domain', 'base'],
  jobs: ['analysis', 'taxonomy', 'storage', 'domain', 'base'],
  // the NLP core is built from data: no database, no taxonomy import
  analysis: ['domain', 'base'],
  taxonomy: ['storage', 'domain', 'base'],
  storage: ['domain', 'base'],
  domain: [],
  base: [],
};

const SRC = '^(test/fixtures/layers/)?src/';
const folder = (layer) => `${SRC}${layer}/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other, directly or around a loop, cannot be read (or moved) one at a time.',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(LAYERS).map(([layer, allowed]) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: `src/${layer} imports only ${allowed.length ? `src/${allowed.join(', src/')} and ` : ''}itself: imports point down the layers.`,
      from: { path: folder(layer) },
      to: { path: SRC, pathNot: [folder(layer), ...allowed.map(folder)] },
    })),
    {
      name: 'no-unlayered',
      severity: 'error',
      comment: 'Every source file belongs to a layer folder (or is a type declaration).',
      from: { path: SRC, pathNot: [...Object.keys(LAYERS).map(folder), `${SRC}types/`] },
      to: {},
    },
    {
      name: 'not-to-tests-or-scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    // type-only imports are structure too
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
