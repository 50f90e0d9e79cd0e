/**
 * The layers of lib/, lowest first: a folder imports only folders of lower layers, never its
 * own layer's or a higher one's. nodes/ and bin/ sit above lib/ and may use all of it.
 *
 *   platform contracts models cli audit   the desktop, data shapes and ports (with the sealing of
 *                                         data at rest), the hash-chained audit trail
 *   store                                 the embedded store (its values sealed like the data files)
 *   image doctor automation               image codec; checks; chains, triggers, scheduler (they run
 *                                         workflows through their WorkflowExecutor port, not the runner)
 *   vision capture                        see a screen; record a session
 *   state → graph → execute               ScreenState; learn workflows; replay them
 *   monitoring                            receives events (the runner's through contracts/analytics-hooks)
 *   robots                                jobs through Redis/BullMQ to robots that run the runner; the
 *                                         automation gets the orchestrator as its WorkflowExecutor (injected)
 */
const LAYERS = [
  ['platform', 'contracts', 'models', 'cli', 'audit'],
  ['store'],
  ['image', 'doctor', 'automation'],
  ['vision', 'capture'],
  ['state'],
  ['graph'],
  ['execute'],
  ['monitoring'],
  ['robots'],
];

const folders = LAYERS.flat();
const anyOf = (names) => `^lib/(${names.join('|')})/`;
const DESKTOP = '^(node_modules/)?(@nut-tree-fork/|uiohook-napi(/|$))';
const NODE_RED = '^(node_modules/)?(@types/)?@?node-red([/_]|$)';
const RUNTIME = '^(lib|nodes|bin)/';

const layerOrder = LAYERS.flatMap((layer, level) =>
  layer.map((folder) => ({
    name: 'lib-layer-order',
    comment: `lib/${folder}/ imports only the layers below its own (see the top of .dependency-cruiser.js)`,
    severity: 'error',
    from: { path: anyOf([folder]) },
    to: {
      path: anyOf(
        LAYERS.slice(level)
          .flat()
          .filter((f) => f !== folder),
      ),
    },
  })),
);

module.exports = {
  forbidden: [
    ...layerOrder,
    {
      name: 'lib-folder-without-layer',
      comment: 'every folder of lib/ has its place in LAYERS',
      severity: 'error',
      from: {},
      to: { path: '^lib/', pathNot: anyOf(folders) },
    },
    {
      name: 'lib-folder-without-layer',
      severity: 'error',
      from: { path: '^lib/', pathNot: anyOf(folders) },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no import cycle, type-only imports included: two files that need each other are one unit',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-not-to-adapters',
      comment: 'the engine never imports the Node-RED nodes, the command line or Node-RED itself',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: ['^nodes/', '^bin/', NODE_RED] },
    },
    {
      name: 'nodes-not-to-bin',
      severity: 'error',
      from: { path: '^nodes/' },
      to: { path: '^bin/' },
    },
    {
      name: 'bin-not-to-nodes',
      severity: 'error',
      from: { path: '^bin/' },
      to: { path: '^nodes/' },
    },
    {
      name: 'desktop-only-in-platform',
      comment: 'only lib/platform/ touches the desktop libraries (nut.js, libnut, uiohook)',
      severity: 'error',
      from: { pathNot: '^lib/platform/' },
      to: { path: DESKTOP },
    },
    {
      name: 'one-image-codec',
      comment: 'the product decodes and encodes images in lib/image/codec.ts only',
      severity: 'error',
      from: { path: RUNTIME, pathNot: '^lib/image/codec\\.ts$' },
      to: { path: '^(node_modules/)?sharp(/|$)' },
    },
    {
      name: 'no-non-package-json',
      comment: 'a package imported but not declared in package.json works only by accident (hoisting)',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'a palette install has no devDependencies; types vanish at compilation and may come from them',
      severity: 'error',
      from: { path: RUNTIME },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only', 'npm', 'npm-peer'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'the command line reads package.json from dist/bin/, two folders up, which resolves only once built',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^\\.\\./\\.\\./package\\.json$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default', 'types'] },
    // By content: the default (git's metadata) does not see a file git does not track yet.
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
