// The architecture in docs/architecture.md#one-way-imports, enforced: imports flow one way.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain is shared by browser and Node: it imports nothing of ours outside itself and no Node built-ins.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: ['^src/domain', '^node_modules'] },
    },
    {
      name: 'domain-no-node-builtins',
      severity: 'error',
      from: { path: '^src/domain', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-not-node',
      comment: 'The web app never imports server, sandbox, cli or testing code.',
      severity: 'error',
      from: { path: '^src/(app|features|components|lib|main\\.tsx)' },
      to: { path: '^src/(server|sandbox|cli|testing)' },
    },
    {
      name: 'node-not-web',
      comment: 'server, sandbox and cli use domain, never the web code.',
      severity: 'error',
      from: { path: '^src/(server|sandbox|cli)' },
      to: {
        path: '^src/(app|features|components|lib|main\\.tsx)',
        // The server renders the first screen as HTML (docs/decisions/011): that one module only.
        pathNot: '^src/app/first-screen\\.tsx$',
      },
    },
    {
      name: 'components-are-leaves',
      severity: 'error',
      from: { path: '^src/components' },
      to: { path: '^src/(features|app)' },
    },
    {
      name: 'features-not-app',
      severity: 'error',
      from: { path: '^src/features' },
      to: { path: '^src/app' },
    },
    {
      name: 'no-cross-feature',
      comment: 'No feature imports another feature; shared pieces move to components or domain.',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/', pathNot: '^src/features/$1/' },
    },
    {
      name: 'sandbox-not-server',
      severity: 'error',
      from: { path: '^src/sandbox' },
      to: { path: '^src/(server|cli)' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|^src/testing' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
