import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  assetPath,
  BUNDLE_BUDGETS,
  bundleReport,
  firstScreenFromManifest,
  gzipBytes,
  type Manifest,
  parseHtmlAssets,
} from './bundle.ts';

// A manifest shaped like vite's: an entry with a static vendor import, a lazy step that shares
// a chunk with another lazy step, and CSS on the entry.
const MANIFEST: Manifest = {
  'index.html': {
    file: 'assets/index-a1.js',
    src: 'index.html',
    isEntry: true,
    imports: ['_vendor-b2.js'],
    dynamicImports: ['src/result.tsx', 'src/simulator.tsx'],
    css: ['assets/index-c3.css'],
  },
  '_vendor-b2.js': { file: 'assets/vendor-b2.js', imports: [] },
  'src/result.tsx': {
    file: 'assets/result-d4.js',
    isDynamicEntry: true,
    imports: ['_shared-e5.js', '_vendor-b2.js'],
  },
  'src/simulator.tsx': {
    file: 'assets/simulator-f6.js',
    isDynamicEntry: true,
    imports: ['_shared-e5.js'],
    css: ['assets/simulator-g7.css'],
  },
  '_shared-e5.js': { file: 'assets/shared-e5.js' },
};

const HTML = `<!doctype html><html><head>
  <!-- <script src="/assets/commented-out.js"></script> -->
  <script type="module" crossorigin src="/assets/index-a1.js"></script>
  <link rel="modulepreload" crossorigin href="/assets/vendor-b2.js">
  <link rel=stylesheet crossorigin href='/assets/index-c3.css'>
  <link rel="icon" href="/favicon.svg">
  <link rel="preconnect" href="https://example.com">
</head><body><div id="root"></div></body></html>`;

describe('parseHtmlAssets', () => {
  it('finds module scripts, modulepreloads and stylesheets, ignoring comments and other links', () => {
    expect(parseHtmlAssets(HTML)).toEqual({
      scripts: ['/assets/index-a1.js'],
      modulepreloads: ['/assets/vendor-b2.js'],
      stylesheets: ['/assets/index-c3.css'],
    });
  });
});

describe('assetPath', () => {
  it.each([
    ['/assets/a.js', 'assets/a.js'],
    ['./assets/a.js', 'assets/a.js'],
    ['assets/a.js?v=1#x', 'assets/a.js'],
    ['https://cdn.example.com/a.js', null],
    ['//cdn.example.com/a.js', null],
    ['data:text/css,', null],
  ])('%s -> %s', (url, expected) => {
    expect(assetPath(url)).toBe(expected);
  });
});

describe('firstScreenFromManifest', () => {
  it('follows static imports from the entry, not dynamic ones', () => {
    expect(firstScreenFromManifest(MANIFEST)).toEqual({
      js: ['assets/index-a1.js', 'assets/vendor-b2.js'],
      css: ['assets/index-c3.css'],
    });
  });

  it('fails on an import the manifest does not list', () => {
    expect(() =>
      firstScreenFromManifest({
        'index.html': { file: 'assets/i.js', isEntry: true, imports: ['_missing.js'] },
      }),
    ).toThrow(/_missing\.js/);
  });
});

describe('bundleReport', () => {
  const content: Record<string, string> = {
    'index.html': HTML,
    'assets/index-a1.js': 'console.log("entry");'.repeat(50),
    'assets/vendor-b2.js': 'export const vendor = 1;'.repeat(80),
    'assets/result-d4.js': 'export const result = 2;'.repeat(30),
    'assets/simulator-f6.js': 'export const sim = 3;'.repeat(30),
    'assets/shared-e5.js': 'export const shared = 4;',
    'assets/index-c3.css': 'body{color:red}'.repeat(20),
    'assets/simulator-g7.css': '.sim{color:blue}',
    'favicon.svg': '<svg/>',
  };
  const read = (file: string) => Buffer.from(content[file] ?? '');
  const input = { html: HTML, manifest: MANIFEST, files: Object.keys(content), read };
  const gz = (file: string) => gzipBytes(content[file]!);

  it('sums gzip sizes per group', () => {
    const report = bundleReport(input);
    expect(report.firstScreenJs).toBe(gz('assets/index-a1.js') + gz('assets/vendor-b2.js'));
    expect(report.firstScreenCss).toBe(gz('assets/index-c3.css'));
    expect(report.allJs).toBe(
      ['index-a1', 'vendor-b2', 'result-d4', 'simulator-f6', 'shared-e5']
        .map((n) => gz(`assets/${n}.js`))
        .reduce((a, b) => a + b),
    );
    expect(report.css).toBe(gz('assets/index-c3.css') + gz('assets/simulator-g7.css'));
    expect(report.files.map((f) => f.file)).not.toContain('favicon.svg');
    expect(report.overBudget).toEqual([]);
  });

  /** The same build with one more chunk of its own, imported by the entry. */
  const withChunk = (name: string, file: string, code: string) => ({
    ...input,
    manifest: { ...MANIFEST, [`_${name}`]: { file, name, imports: ['index.html'] } },
    files: [...input.files, file],
    read: (f: string) => (f === file ? Buffer.from(code) : read(f)),
  });

  it('counts the organization flow’s own chunk apart from the wizard’s', () => {
    const report = bundleReport(
      withChunk('organization', 'assets/organization-h8.js', 'export const org = 5;'),
    );
    expect(report.organizationJs).toBe(gzipBytes('export const org = 5;'));
    expect(report.allJs).toBe(bundleReport(input).allJs);
  });

  it('counts the connections pages’ own chunk apart from the wizard’s', () => {
    const report = bundleReport(
      withChunk('connections', 'assets/connections-i9.js', 'export const list = 6;'),
    );
    expect(report.connectionsJs).toBe(gzipBytes('export const list = 6;'));
    expect(report.allJs).toBe(bundleReport(input).allJs);
  });

  it("budgets what a later step preloads and counts each page's JS at start as the server sends it", () => {
    const entry = MANIFEST['index.html']!;
    const manifest: Manifest = {
      ...MANIFEST,
      'index.html': {
        ...entry,
        dynamicImports: [...(entry.dynamicImports ?? []), '_steps-s1.js', '_org-o1.js'],
      },
      '_steps-s1.js': { file: 'assets/steps-s1.js', name: 'steps', imports: ['index.html', '_vendor-b2.js'] },
      '_org-o1.js': { file: 'assets/organization-o1.js', name: 'organization', imports: ['_steps-s1.js'] },
    };
    const extra: Record<string, string> = {
      'assets/steps-s1.js': 'export const steps = 1;',
      'assets/organization-o1.js': 'export const org = 2;',
    };
    const report = bundleReport({
      ...input,
      manifest,
      files: [...input.files, ...Object.keys(extra)],
      read: (f) => (extra[f] ? Buffer.from(extra[f]) : read(f)),
    });
    const gz = (f: string) => gzipBytes(extra[f] ?? read(f));
    // The vendor chunk is on the first screen already: counted in the later-step chunks' budget,
    // not twice in the page's total.
    expect(report.laterStepJs).toBe(gz('assets/steps-s1.js') + gz('assets/vendor-b2.js'));
    expect(report.pagesJs.firstStep).toBe(report.firstScreenJs);
    expect(report.pagesJs.laterStep).toBe(report.firstScreenJs + gz('assets/steps-s1.js'));
    expect(report.pagesJs.organization).toBe(
      report.firstScreenJs + gz('assets/steps-s1.js') + gz('assets/organization-o1.js'),
    );
  });

  it('counts a script in the build that the manifest does not list', () => {
    const withStray = { ...input, files: [...input.files, 'assets/stray.js'] };
    const stray = bundleReport({
      ...withStray,
      read: (f) => (f === 'assets/stray.js' ? Buffer.from('x') : read(f)),
    });
    expect(stray.allJs).toBe(bundleReport(input).allJs + gzipBytes('x'));
  });

  it('fails when index.html references a file the build lacks', () => {
    expect(() =>
      bundleReport({ ...input, files: input.files.filter((f) => f !== 'assets/vendor-b2.js') }),
    ).toThrow(/assets\/vendor-b2\.js/);
  });

  it('names every budget that is exceeded', () => {
    // Random bytes do not compress, so 200 kB stays above every budget after gzip.
    const big = randomBytes(200_000);
    const report = bundleReport({ ...input, read: (f) => (f === 'assets/vendor-b2.js' ? big : read(f)) });
    expect(report.firstScreenJs).toBeGreaterThan(BUNDLE_BUDGETS.allJs);
    expect(report.overBudget.map((s) => s.split(':')[0])).toEqual(['firstScreenJs', 'allJs']);
  });
});
