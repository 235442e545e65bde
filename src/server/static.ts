import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ConfigResponse, EMBEDDED_CONFIG_ID } from '../domain/api-contract.ts';
import { EMBEDDED_DATA_ID, type EmbeddedData } from '../domain/connection-contract.ts';
import { DRAWN_STEP_STORAGE_KEY, DRAWN_STEPS } from '../domain/drawn-copy.ts';
import { DRAWN_STEP_ATTRIBUTE, WIZARD_STORAGE_KEY } from '../domain/drawn-step.ts';
import { ApiError } from './errors.ts';

// The built web app (vite build -> dist/web). Hashed files under /assets never change, so they are
// cached for a year. The page itself is made once at start from dist/web/index.html: it carries the
// config (so the app needs no /api/config round trip) and, for the first step, the screen rendered
// as HTML (src/app/first-screen.tsx). It is revalidated every time so a new build is picked up.

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const YEAR = 'public, max-age=31536000, immutable';
const ROOT_ELEMENT = '<div id="root"></div>';

export function webAppBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/** The built page with its stylesheets written into it, and the CSP hashes that admit them. */
export interface WebBuild {
  root: string;
  template: string;
  manifest: Record<string, ManifestChunk>;
  /** 'sha256-…' sources for style-src, one per inlined stylesheet. */
  styleHashes: string[];
  /** The later-step page's inline script (drawnStepScript). */
  stepScript: string;
  /** 'sha256-…' sources for script-src: the inline script's, and nothing else inline. */
  scriptHashes: string[];
}

const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Reads dist/web. The stylesheet (~7 KB gzip) goes into the page as a <style> element: a phone
 * paints the drawn first step without waiting for one more request, and the page is revalidated
 * anyway. Its hash joins style-src (security.ts), so the CSP still admits no other inline style.
 */
export function loadWebBuild(root: string): WebBuild | null {
  if (!webAppBuilt(root)) return null;
  const styleHashes: string[] = [];
  const template = readFileSync(join(root, 'index.html'), 'utf8').replace(
    /<link rel="stylesheet"[^>]*href="\/(assets\/[^"]+\.css)"[^>]*>/g,
    (tag, file: string) => {
      const path = join(root, file);
      if (!existsSync(path)) return tag;
      const css = readFileSync(path, 'utf8');
      if (css.includes('</')) return tag; // cannot be written into a <style> element safely
      styleHashes.push(cspHash(css));
      return `<style>${css}</style>`;
    },
  );
  const manifest = readManifest(root);
  const stepScript = drawnStepScript(stepChunks(manifest));
  return { root, template, manifest, styleHashes, stepScript, scriptHashes: [cspHash(stepScript)] };
}

/**
 * The script a later-step page runs as it is parsed, right after the empty #root (decisions 065
 * and 066): on a later step, when the tab kept a copy of that screen drawn from the same answers
 * (src/domain/drawn-step.ts), it draws the copy, inert, so the page paints before the app's
 * ~150 KB of JavaScript arrive; the app then renders the same screen over it. Otherwise it asks for the
 * later steps' chunks beside the entry. Not when the page was drawn by the server (#root not
 * empty: the connections pages): those fetch their own chunk. With a copy drawn it asks for
 * nothing: Lighthouse's simulation counts every request made before a paint as something the
 * paint waited for (decision 061). The copy is markup React escaped; the CSP admits no inline
 * handler, so markup cannot run code even if it were not.
 */
export function drawnStepScript(chunks: readonly string[]): string {
  const str = jsonForHtml;
  return (
    "(function(){var r=document.getElementById('root');if(!r||r.firstChild)return;" +
    `try{var s=sessionStorage,d=JSON.parse(s.getItem(${str(DRAWN_STEP_STORAGE_KEY)})||'null'),` +
    'q=new URLSearchParams(location.search);' +
    `if(d&&${str(DRAWN_STEPS)}.indexOf(d.step)>=0&&location.pathname==='/'&&q.get('step')===d.step&&!q.has('flow')` +
    `&&typeof d.html==='string'&&d.answers===s.getItem(${str(WIZARD_STORAGE_KEY)}))` +
    // Inert until the app draws over it (src/main.tsx): a click or a key there would be lost.
    `{r.innerHTML=d.html;r.setAttribute(${str(DRAWN_STEP_ATTRIBUTE)},d.step);r.inert=true;return}}catch(e){}` +
    `${str(chunks.map((file) => `/${file}`))}.forEach(function(f){var l=document.createElement('link');` +
    "l.rel='modulepreload';l.crossOrigin='';l.href=f;document.head.appendChild(l)})})()"
  );
}

/** One page, with its encodings made once. */
interface Page {
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

/**
 * Hosted: the page carries the visitor's own session External ID, so it is written per request
 * from this placeholder (a value no External ID can take: "@" and "#" never both appear in ours).
 */
export const SESSION_EXTERNAL_ID_PLACEHOLDER = '@@#session-external-id#@@';

/** The visitor's External ID for the page, when it differs per session (hosted). */
export type SessionExternalId = (request: FastifyRequest, reply: FastifyReply) => Promise<string>;

/** The pages the server sends: with the first step rendered in, and the bare shell for the others. */
export interface WebPages {
  first: Page;
  shell: Page;
  /** "/?flow=organization": its first screen drawn (or, when it cannot be, the shell preloading its chunks). */
  organization: Page;
  sessionExternalId?: SessionExternalId;
}

export interface PageContent {
  config: ConfigResponse;
  renderFirstScreen?: (config: ConfigResponse) => string;
  /** Draws the organization flow's first screen for "/?flow=organization". */
  renderOrganizationScreen?: (config: ConfigResponse) => string;
  /** Hosted: each page is written with the session's External ID instead of config.externalId. */
  sessionExternalId?: SessionExternalId;
}

/** What makePages writes into index.html. */
interface PageParts {
  config: ConfigResponse;
  /** The first step as HTML, when it could be drawn. */
  firstScreen?: string | undefined;
  /** The shell's inline script (drawnStepScript): the result step's copy, or the later steps' chunks. */
  stepScript: string;
  /** The organization flow as HTML, when it could be drawn. */
  organizationScreen?: string | undefined;
  /** The organization chunk and what it imports (organizationChunks). */
  organizationChunks: readonly string[];
}

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** vite.config.ts's codeSplitting groups of the pages that are not the wizard: each loads only on its own page. */
export const ORGANIZATION_CHUNK = 'organization';
export const CONNECTIONS_CHUNK = 'connections';
const inGroup = (manifest: Record<string, ManifestChunk>, key: string, ...groups: string[]) =>
  groups.includes(manifest[key]?.name ?? '');

/** Every non-entry chunk reachable from these manifest keys by static imports. */
function chunksFrom(manifest: Record<string, ManifestChunk>, keys: readonly string[]): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || chunk.isEntry || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const key of keys) visit(key);
  return [...files];
}

const dynamicImportsOfEntry = (manifest: Record<string, ManifestChunk>) =>
  Object.values(manifest).find((chunk) => chunk.isEntry)?.dynamicImports ?? [];

/**
 * The shared chunks behind the entry's on-demand imports (vite.config.ts groups the later steps
 * into one) and what they import: a page that opens on a later step needs them at once, so the
 * shell's inline script asks for them beside the entry instead of after it (drawnStepScript). Not the
 * organization flow's chunk nor the connections pages': each is for its own page (issue 15: each
 * route loads its own chunks; the result step paid 10 KB for the organization's).
 */
export function stepChunks(manifest: Record<string, ManifestChunk>): string[] {
  const keys = dynamicImportsOfEntry(manifest);
  return chunksFrom(
    manifest,
    keys.filter(
      (key) => key.startsWith('_') && !inGroup(manifest, key, ORGANIZATION_CHUNK, CONNECTIONS_CHUNK),
    ),
  );
}

/** What the organization page needs at once: its chunk and the wizard chunks it imports. */
export function organizationChunks(manifest: Record<string, ManifestChunk>): string[] {
  const keys = dynamicImportsOfEntry(manifest);
  return chunksFrom(
    manifest,
    keys.filter((key) => inGroup(manifest, key, ORGANIZATION_CHUNK)),
  );
}

function readManifest(root: string): Record<string, ManifestChunk> {
  try {
    return JSON.parse(readFileSync(join(root, '.vite', 'manifest.json'), 'utf8'));
  } catch {
    return {};
  }
}

function encode(html: string): Page {
  const identity = Buffer.from(html, 'utf8');
  return {
    identity,
    br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: gzipSync(identity, { level: 9 }),
  };
}

/**
 * JSON that is safe inside a <script> data block: "<" cannot open "</script>" or a comment, and
 * U+2028/2029 are escaped for old parsers. The browser does not run a data block, so the
 * Content-Security-Policy needs no exception for it.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function makePages(template: string, content: PageParts): WebPages {
  const data = `<script type="application/json" id="${EMBEDDED_CONFIG_ID}">${jsonForHtml(content.config)}</script>`;
  // A page without the root element (not one vite builds from index.html) gets the data only.
  if (!template.includes(ROOT_ELEMENT)) {
    const page = encode(
      template.includes('</body>') ? template.replace('</body>', `${data}</body>`) : `${template}${data}`,
    );
    return { first: page, shell: page, organization: page };
  }
  const preloads = (files: readonly string[]) =>
    files.map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`).join('');
  const shell = template.replace(
    ROOT_ELEMENT,
    `${ROOT_ELEMENT}<script>${content.stepScript}</script>${data}`,
  );
  // Drawn, and without modulepreloads: requested before the first paint, they count as what the
  // paint waits for in Lighthouse's simulation (observed: FCP 1.78 s with them, the page painted
  // at 148 ms unthrottled). The entry fetches the organization chunk first thing (src/main.tsx).
  const organization = content.organizationScreen
    ? template.replace(ROOT_ELEMENT, `<div id="root">${content.organizationScreen}</div>${data}`)
    : template
        .replace(ROOT_ELEMENT, `${ROOT_ELEMENT}${data}`)
        .replace('</head>', `${preloads(content.organizationChunks)}</head>`);
  const first = content.firstScreen
    ? template.replace(ROOT_ELEMENT, `<div id="root">${content.firstScreen}</div>${data}`)
    : shell;
  return { first: encode(first), shell: encode(shell), organization: encode(organization) };
}

/** The codings an Accept-Encoding header accepts (a q=0 entry refuses one). */
function acceptedCodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  return accepted;
}

/** The page with this session's External ID written in, encoded now (fast settings: it is per request). */
async function personalPage(page: Page, request: FastifyRequest, reply: FastifyReply, id: SessionExternalId) {
  const externalId = await id(request, reply);
  const html = page.identity.toString('utf8').replaceAll(SESSION_EXTERNAL_ID_PLACEHOLDER, externalId);
  const identity = Buffer.from(html, 'utf8');
  return {
    identity,
    br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
    gzip: gzipSync(identity, { level: 6 }),
  };
}

async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  shared: Page,
  sessionExternalId?: SessionExternalId,
): Promise<FastifyReply> {
  const page = sessionExternalId ? await personalPage(shared, request, reply, sessionExternalId) : shared;
  if (sessionExternalId) reply.header('cache-control', 'no-store');
  const accepted = acceptedCodings(request.headers['accept-encoding']);
  const [encoding, body] = accepted.has('br')
    ? ['br', page.br]
    : accepted.has('gzip')
      ? ['gzip', page.gzip]
      : [null, page.identity];
  if (encoding) reply.header('content-encoding', encoding);
  if (!sessionExternalId && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache');
  return reply.header('vary', 'accept-encoding').type('text/html; charset=utf-8').send(body);
}

/**
 * Which page "/" is: the organization flow (?flow=organization, src/app/flow-choice.tsx), the
 * first step (no ?step, or ?step=source: src/app/steps.ts), or a later step (the shell).
 */
function pageFor(request: FastifyRequest, pages: WebPages): Page {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  if (query.get('flow') === 'organization') return pages.organization;
  const step = query.get('step');
  return step === null || step === 'source' ? pages.first : pages.shell;
}

export async function registerWebApp(
  app: FastifyInstance,
  build: WebBuild | null,
  content: PageContent,
): Promise<WebPages | null> {
  if (!build) return null;
  const { root } = build;
  const config = content.sessionExternalId
    ? { ...content.config, externalId: SESSION_EXTERNAL_ID_PLACEHOLDER }
    : content.config;
  // A screen that cannot be drawn must not stop the server: the page goes out without it.
  const draw = (what: string, render: ((c: ConfigResponse) => string) | undefined) => {
    try {
      return render?.(config);
    } catch (err) {
      app.log.warn({ err }, `the ${what} could not be drawn; the page goes out without it`);
      return undefined;
    }
  };
  const pages: WebPages = {
    ...makePages(build.template, {
      config,
      firstScreen: draw('first screen', content.renderFirstScreen),
      stepScript: build.stepScript,
      organizationScreen: draw('organization screen', content.renderOrganizationScreen),
      organizationChunks: organizationChunks(build.manifest),
    }),
    ...(content.sessionExternalId ? { sessionExternalId: content.sessionExternalId } : {}),
  };
  await app.register(fastifyStatic, {
    root,
    index: false,
    // vite.config.ts writes .br/.gz beside each asset at build time; sent when the client accepts them.
    preCompressed: true,
    // Nothing whose path has a segment starting with "." (dist/web/.vite/manifest.json is for
    // the server, which reads it above): @fastify/static would send it by default.
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header('cache-control', path.includes(`${join(root, 'assets')}`) ? YEAR : 'no-cache');
    },
  });
  // The static plugin treats "/" as the directory itself; the page is made above.
  app.get('/', (request, reply) =>
    sendPage(request, reply, pageFor(request, pages), pages.sessionExternalId),
  );
  return pages;
}

/**
 * A page drawn per request with its data (the connections pages, issue 13): the shell with the
 * drawn HTML in #root and the data as a JSON block the app reads instead of fetching.
 */
export async function sendDrawnPage(
  request: FastifyRequest,
  reply: FastifyReply,
  pages: WebPages,
  drawn: { html: string; data: EmbeddedData },
): Promise<FastifyReply> {
  // The shell's inline script asks for no chunk when #root is drawn: the later steps' chunks would
  // compete with this page's first paint (Lighthouse counts them), and the page fetches its own
  // chunk when the entry runs.
  const shell = pages.shell.identity.toString('utf8');
  const block = `<script type="application/json" id="${EMBEDDED_DATA_ID}">${jsonForHtml(drawn.data)}</script>`;
  const html = shell.includes(ROOT_ELEMENT)
    ? shell.replace(ROOT_ELEMENT, `<div id="root">${drawn.html}</div>${block}`)
    : `${shell}${block}`;
  const identity = Buffer.from(html, 'utf8');
  const page: Page = {
    identity,
    br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
    gzip: gzipSync(identity, { level: 6 }),
  };
  reply.header('cache-control', 'no-store');
  return sendPage(request, reply, page, pages.sessionExternalId);
}

/** Client-side routes (/connect/role, ...) get the page; /api and missing files get a JSON 404. */
export function notFoundHandler(pages: WebPages | null) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/api/') && path !== '/api';
    const looksLikeFile = /\.[a-z0-9]+$/i.test(path) || path.startsWith('/assets/') || /(^|\/)\./.test(path);
    if (isPage && !looksLikeFile) {
      if (!pages) {
        throw new ApiError(
          503,
          'WEB_NOT_BUILT',
          'The web app is not built: run "npm run build" (or "npm start"), then reload.',
        );
      }
      return sendPage(request, reply, pages.shell, pages.sessionExternalId);
    }
    throw new ApiError(404, 'NOT_FOUND', `Nothing at ${request.method} ${path}.`);
  };
}
