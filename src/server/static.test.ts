import { describe, expect, it } from 'vitest';
import { organizationChunks, stepChunks } from './static.ts';

// The chunks each page of "/" preloads (issue 15: every route loads its own chunks). The manifest
// has the shape vite writes (.vite/manifest.json) for vite.config.ts's groups.
const MANIFEST = {
  'index.html': {
    file: 'assets/index-a.js',
    isEntry: true,
    dynamicImports: [
      '_steps-b.js',
      'src/features/troubleshoot/trust-chain.tsx',
      '_forms-c.js',
      '_organization-d.js',
      '_connections-f.js',
    ],
  },
  '_connections-f.js': {
    file: 'assets/connections-f.js',
    name: 'connections',
    imports: ['index.html', '_steps-b.js'],
  },
  '_steps-b.js': { file: 'assets/steps-b.js', name: 'steps', imports: ['index.html', '_forms-c.js'] },
  '_forms-c.js': { file: 'assets/forms-c.js', name: 'forms', imports: ['index.html'] },
  '_organization-d.js': {
    file: 'assets/organization-d.js',
    name: 'organization',
    imports: ['index.html', '_steps-b.js', '_forms-c.js'],
  },
  'src/features/troubleshoot/trust-chain.tsx': {
    file: 'assets/trust-chain-e.js',
    isDynamicEntry: true,
    imports: ['index.html', '_steps-b.js'],
  },
};

describe('the chunks a page preloads', () => {
  it('a later step of the wizard: the steps group and what it imports, not the organization or connections pages', () => {
    expect(stepChunks(MANIFEST).sort()).toEqual(['assets/forms-c.js', 'assets/steps-b.js']);
  });

  it('the organization page: its chunk and the wizard chunks it imports, never the entry', () => {
    expect(organizationChunks(MANIFEST).sort()).toEqual([
      'assets/forms-c.js',
      'assets/organization-d.js',
      'assets/steps-b.js',
    ]);
  });

  it('a build without the groups preloads nothing', () => {
    expect(stepChunks({})).toEqual([]);
    expect(organizationChunks({ 'index.html': { file: 'assets/index.js', isEntry: true } })).toEqual([]);
  });
});
