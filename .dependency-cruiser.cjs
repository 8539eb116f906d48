/**
 * Dependency rules, run by `npm run lint:deps` in CI (.ci/run). Violations that existed when a
 * rule came in are listed in .dependency-cruiser-known-violations.json and ignored, so only new
 * ones fail; `npm run lint:deps:baseline` rewrites that file once a restructuring removes some.
 * Tests and test/bench are not cruised: they may reach into any layer.
 */

// Shared feature modules, lowest first: each may import the ones before it, never those after.
// Reorder as the code is restructured; a shared/ folder missing here fails `unranked-module`.
const FEATURES = [
  'customers',
  'analytics',
  'outbound',
  'knowledge',
  'classify',
  'routing',
  'tickets',
  'channels',
  'pipeline',
  'auth',
];

// All layers, lowest first; a module may import its own layer or lower ones. infra/topology.ts
// sits below the handlers because it is plain data (no CDK): handlers read their env var names
// and the authorizer reads route roles from it, so the declaration stays the one source.
const LAYERS = [
  ['shared-lib', 'shared/lib/'],
  ['shared-domain', 'shared/domain/'],
  ...FEATURES.map((f) => [`shared-${f}`, `shared/${f}/`]),
  ['shared-adapters', 'shared/adapters/'],
  ['infra-topology', 'infra/topology\\.ts$'],
  // Handlers get their adapters from here (rule handlers-adapters-via-services).
  ['functions-lib', 'functions/lib/'],
  ['functions', 'functions/(channels|pipeline|api|jobs)/'],
  // The entry points: CDK app and stacks, local runtime, commands, artifact scripts.
  ['entry', '(infra/(constructs|stacks|local)/|infra/app\\.ts$|cli/|scripts/|bin/)'],
];

// Upward imports allowed on purpose, one file per layer at most, each with its reason.
const ALLOWED_UP = {
  // The authorizer reads route roles from the one topology declaration (plain data, no CDK), so
  // they cannot drift from the deployed routes.
  'shared-auth': { from: '^shared/auth/route-roles\\.ts$', to: '^infra/topology\\.ts$' },
};

const anyOf = (layers) => `^(${layers.map(([, path]) => path).join('|')})`;

const layerRules = LAYERS.slice(0, -1).flatMap(([name, path], i) => {
  const allowed = ALLOWED_UP[name];
  const rule = (from, to) => ({
    name: `layer-${name}`,
    comment: `${name} may not import a higher layer (order: LAYERS in .dependency-cruiser.cjs)`,
    severity: 'error',
    from,
    to: { path: anyOf(LAYERS.slice(i + 1)), ...to },
  });
  if (!allowed) return [rule({ path: `^${path}` })];
  // The allowed file still may not import any other higher module.
  return [rule({ path: `^${path}`, pathNot: allowed.from }), rule({ path: allowed.from }, { pathNot: allowed.to })];
});

const ranked = anyOf(LAYERS);
const cruised = '^(shared|functions|infra|cli|scripts|bin)/';

module.exports = {
  forbidden: [
    {
      name: 'aws-sdk-in-adapters-only',
      comment: '@aws-sdk/* belongs in shared/adapters (and the local runtime); the rest talks to ports',
      severity: 'error',
      from: { pathNot: '^(shared/adapters|infra/local)/' },
      to: { path: '^(node_modules/)?@aws-sdk/' },
    },
    ...layerRules,
    {
      name: 'handlers-adapters-via-services',
      comment: 'handlers get adapters from functions/lib/services.ts (built once per cold start)',
      severity: 'error',
      from: { path: '^functions/', pathNot: '^functions/lib/services\\.ts$' },
      to: { path: '^shared/adapters/' },
    },
    {
      name: 'no-circular-in-shared',
      severity: 'error',
      from: { path: '^shared/' },
      to: { circular: true, viaOnly: { path: '^shared/' } },
    },
    {
      name: 'unranked-module',
      comment: 'a module outside LAYERS escapes the layer rules: add its folder to FEATURES or LAYERS',
      severity: 'error',
      from: { path: cruised, pathNot: ranked },
      to: {},
    },
    {
      name: 'imports-unranked-module',
      comment: 'a module outside LAYERS escapes the layer rules: add its folder to FEATURES or LAYERS',
      severity: 'error',
      from: {},
      to: { path: cruised, pathNot: ranked },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a domain type naming an adapter's type still couples them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
