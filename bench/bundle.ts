import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  CONNECTIONS_CHUNK,
  ORGANIZATION_CHUNK,
  organizationChunks,
  stepChunks,
} from '../src/server/static.ts';
import { isMain } from './lib/cli.ts';

// Bundle budgets (issue 7): gzip bytes of what the first screen loads and of everything any
// step can load. 1 KB = 1000 bytes here, so the budgets read exactly as in the issue.
// React 19 + react-dom alone is about 69 KB gzip: the floor for the first screen.

export const KB = 1000;
export const BUNDLE_BUDGETS = {
  /** The entry chunk, its static imports and the modulepreloads of index.html (issue 15: every route). */
  firstScreenJs: 100 * KB,
  /**
   * Every JavaScript file any step of the wizard can load (all chunks, lazy ones included, but the
   * organization flow's and the connections pages' own): back to issue 7's 160 KB once the
   * connections pages had their own chunk (docs/decisions/065; 053 had moved it to 161 KB).
   */
  allJs: 160 * KB,
  /** The organization flow's own chunk (issue 14); what it shares with the wizard counts above. */
  organizationJs: 15 * KB,
  /** The connections pages' own chunk (issue 13), the same way (docs/decisions/065). */
  connectionsJs: 10 * KB,
  /**
   * What a page opening on a later step (the result step, ?step=...) preloads beside the entry:
   * the steps group and the forms it imports (issue 15: each route's own chunks budgeted).
   */
  laterStepJs: 60 * KB,
  /** Every stylesheet in the build. */
  css: 15 * KB,
} as const;

/** One chunk of `.vite/manifest.json` (https://vite.dev/guide/backend-integration). */
export interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface HtmlAssets {
  /** `<script src>` (module entry scripts). */
  scripts: string[];
  /** `<link rel="modulepreload" href>`. */
  modulepreloads: string[];
  /** `<link rel="stylesheet" href>`. */
  stylesheets: string[];
}

const TAG_RE = /<(script|link)\b([^>]*)>/gi;
const ATTR_RE = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(ATTR_RE)) {
    attrs.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** The scripts, modulepreloads and stylesheets index.html references, as written. */
export function parseHtmlAssets(html: string): HtmlAssets {
  const out: HtmlAssets = { scripts: [], modulepreloads: [], stylesheets: [] };
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of withoutComments.matchAll(TAG_RE)) {
    const attrs = attributes(m[2]!);
    if (m[1]!.toLowerCase() === 'script') {
      const src = attrs.get('src');
      if (src) out.scripts.push(src);
      continue;
    }
    const rels = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    const href = attrs.get('href');
    if (!href) continue;
    if (rels.includes('modulepreload')) out.modulepreloads.push(href);
    else if (rels.includes('stylesheet')) out.stylesheets.push(href);
  }
  return out;
}

/**
 * A URL from index.html as a path relative to the build directory, or null when it points
 * elsewhere (another origin, a data: URL). Vite's default base is "/".
 */
export function assetPath(url: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return null;
  const path = url.split(/[?#]/)[0]!.replace(/^\.?\/+/, '');
  return path || null;
}

/** JS and CSS files of the entry chunks and, transitively, their static imports. */
export function firstScreenFromManifest(manifest: Manifest): { js: string[]; css: string[] } {
  const js = new Set<string>();
  const css = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest: chunk "${key}" is imported but not listed`);
    if (isJs(chunk.file)) js.add(chunk.file);
    if (isCss(chunk.file)) css.add(chunk.file);
    for (const file of chunk.css ?? []) css.add(file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return { js: [...js], css: [...css] };
}

export const isJs = (file: string) => /\.m?js$/i.test(file);
export const isCss = (file: string) => /\.css$/i.test(file);

export function gzipBytes(content: Buffer | string): number {
  return gzipSync(content, { level: 9 }).length;
}

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
  firstScreen: boolean;
}

export interface BundleReport {
  firstScreenJs: number;
  firstScreenCss: number;
  allJs: number;
  organizationJs: number;
  connectionsJs: number;
  laterStepJs: number;
  /** JavaScript each page of "/" loads at start: the entry plus the chunks the server preloads for it. */
  pagesJs: { firstStep: number; laterStep: number; organization: number };
  css: number;
  files: FileSize[];
  /** Over-budget figures, empty when all budgets hold. */
  overBudget: string[];
}

export interface BundleInput {
  html: string;
  manifest: Manifest;
  /** Every file of the build, relative to its root with "/" separators. */
  files: string[];
  read: (file: string) => Buffer;
}

/** The pure core: which files count where, and their gzip sizes. */
export function bundleReport(input: BundleInput): BundleReport {
  const html = parseHtmlAssets(input.html);
  const fromManifest = firstScreenFromManifest(input.manifest);
  const local = (urls: string[]) => urls.map(assetPath).filter((p): p is string => p !== null);
  const firstJs = new Set([...local(html.scripts), ...local(html.modulepreloads), ...fromManifest.js]);
  const firstCss = new Set([...local(html.stylesheets), ...fromManifest.css]);
  const present = new Set(input.files);
  for (const file of [...firstJs, ...firstCss]) {
    if (!present.has(file))
      throw new Error(`index.html or the manifest references ${file}, which is not in the build`);
  }
  // Everything any step can load: every chunk in the manifest and any other script or
  // stylesheet the build emitted (counting a stray file is safer than missing a lazy chunk).
  const manifestFiles = Object.values(input.manifest).flatMap((c) => [c.file, ...(c.css ?? [])]);
  const all = new Set([...firstJs, ...firstCss, ...manifestFiles, ...input.files]);
  const files: FileSize[] = [...all]
    .filter((file) => isJs(file) || isCss(file))
    .sort()
    .map((file) => {
      const content = input.read(file);
      return {
        file,
        bytes: content.length,
        gzip: gzipBytes(content),
        firstScreen: firstJs.has(file) || firstCss.has(file),
      };
    });
  const sum = (pick: (f: FileSize) => boolean) => files.filter(pick).reduce((n, f) => n + f.gzip, 0);
  const group = (name: string) =>
    new Set(
      Object.values(input.manifest)
        .filter((c) => c.name === name && !c.isEntry)
        .map((c) => c.file),
    );
  const organization = group(ORGANIZATION_CHUNK);
  const connections = group(CONNECTIONS_CHUNK);
  // The server's own choice of preloads (src/server/static.ts), so the figure is what it sends.
  const laterStep = new Set(stepChunks(input.manifest));
  const organizationPage = new Set(organizationChunks(input.manifest));
  const firstScreenJs = sum((f) => isJs(f.file) && f.firstScreen);
  const report: BundleReport = {
    firstScreenJs,
    firstScreenCss: sum((f) => isCss(f.file) && f.firstScreen),
    allJs: sum((f) => isJs(f.file) && !organization.has(f.file) && !connections.has(f.file)),
    organizationJs: sum((f) => isJs(f.file) && organization.has(f.file)),
    connectionsJs: sum((f) => isJs(f.file) && connections.has(f.file)),
    laterStepJs: sum((f) => laterStep.has(f.file)),
    pagesJs: {
      firstStep: firstScreenJs,
      laterStep: firstScreenJs + sum((f) => laterStep.has(f.file) && !f.firstScreen),
      organization: firstScreenJs + sum((f) => organizationPage.has(f.file) && !f.firstScreen),
    },
    css: sum((f) => isCss(f.file)),
    files,
    overBudget: [],
  };
  for (const key of Object.keys(BUNDLE_BUDGETS) as (keyof typeof BUNDLE_BUDGETS)[]) {
    if (report[key] > BUNDLE_BUDGETS[key]) {
      report.overBudget.push(`${key}: ${formatKb(report[key])} > ${formatKb(BUNDLE_BUDGETS[key])}`);
    }
  }
  return report;
}

export function formatKb(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`;
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

/** Reads a vite build directory (dist/web) and measures it. */
export function measureBundle(distDir: string): BundleReport {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  return bundleReport({
    html,
    manifest,
    files: listFiles(distDir).filter((f) => !f.startsWith('.vite/')),
    read: (file) => readFileSync(join(distDir, file)),
  });
}

export function bundleTable(report: BundleReport): string {
  const rows = report.files.map(
    (f) => `| ${f.file} | ${f.bytes} | ${f.gzip} | ${f.firstScreen ? 'first screen' : 'on demand'} |`,
  );
  return ['| file | bytes | gzip bytes | loaded |', '| --- | ---: | ---: | --- |', ...rows].join('\n');
}

if (isMain(import.meta.url)) {
  const dist = process.argv[2] ?? 'dist/web';
  const report = measureBundle(dist);
  console.log(bundleTable(report));
  console.log(
    `\nfirst-screen JS ${formatKb(report.firstScreenJs)} (budget ${formatKb(BUNDLE_BUDGETS.firstScreenJs)}), ` +
      `all JS of the wizard ${formatKb(report.allJs)} (budget ${formatKb(BUNDLE_BUDGETS.allJs)}), ` +
      `organization flow ${formatKb(report.organizationJs)} (budget ${formatKb(BUNDLE_BUDGETS.organizationJs)}), ` +
      `connections pages ${formatKb(report.connectionsJs)} (budget ${formatKb(BUNDLE_BUDGETS.connectionsJs)}), ` +
      `CSS ${formatKb(report.css)} (budget ${formatKb(BUNDLE_BUDGETS.css)}); gzip -9, 1 KB = 1000 bytes`,
  );
  if (report.overBudget.length) {
    console.error(`over budget: ${report.overBudget.join('; ')}`);
    process.exitCode = 1;
  }
}
