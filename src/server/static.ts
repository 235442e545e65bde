import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

// The built web app (vite build -> dist/web). Hashed files under /assets never change, so they are
// cached for a year; index.html is revalidated every time so a new build is picked up at once.

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const YEAR = 'public, max-age=31536000, immutable';

export function webAppBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

export async function registerWebApp(app: FastifyInstance, root: string): Promise<boolean> {
  if (!webAppBuilt(root)) return false;
  await app.register(fastifyStatic, {
    root,
    index: false,
    // vite.config.ts writes .br/.gz beside each asset at build time; sent when the client accepts them.
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header('cache-control', path.includes(`${join(root, 'assets')}`) ? YEAR : 'no-cache');
    },
  });
  // The static plugin treats "/" as the directory itself; the page is index.html.
  app.get('/', (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
  return true;
}

/** Client-side routes (/connect/role, ...) get index.html; /api and missing files get a JSON 404. */
export function notFoundHandler(webBuilt: boolean) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/api/') && path !== '/api';
    const looksLikeFile = /\.[a-z0-9]+$/i.test(path) || path.startsWith('/assets/');
    if (isPage && !looksLikeFile) {
      if (!webBuilt) {
        throw new ApiError(
          503,
          'WEB_NOT_BUILT',
          'The web app is not built: run "npm run build" (or "npm start"), then reload.',
        );
      }
      return reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .sendFile('index.html');
    }
    throw new ApiError(404, 'NOT_FOUND', `Nothing at ${request.method} ${path}.`);
  };
}
