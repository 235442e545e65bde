import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes .br and .gz beside every text asset so the server sends them compressed
 * (@fastify/static `preCompressed`). Uncompressed, the first screen cost Lighthouse 1.2-1.8 s
 * on its mobile preset (bench/RESULTS.md).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'aws-connect:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const full = join(dir, name);
          return statSync(full).isDirectory() ? walk(full) : [full];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg)$/.test(file)) continue;
        const body = readFileSync(file);
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

// Chunks (issue 7 budgets: first screen <= 100 KB gzip, everything <= 160 KB). Left alone, Rolldown
// cut the build into ~25 small chunks, and each compresses on its own, so the lazy code cost ~8 KB
// more gzip than the same code in a few chunks. The groups below keep the on-demand boundaries
// that matter: the first screen (the entry's static imports) is one chunk; the forms
// (react-hook-form) load with the access-key form or the role step; later steps and their
// troubleshooting load together; the organization and connections pages each have their own; the trust-chain picture stays a separate chunk
// (left to automatic splitting).
const FORMS =
  /node_modules[\\/](react-hook-form|@hookform)[\\/]|src[\\/]features[\\/]connect[\\/](source[\\/]access-keys-form|role[\\/])/;
const OWN_CHUNK = /src[\\/]features[\\/]troubleshoot[\\/](trust-chain|chain-link)/;
// The organization flow (issue 14) loads only on its own page: none of it rides with the wizard.
const ORGANIZATION =
  /src[\\/](features[\\/]organization[\\/]|app[\\/]organization-page|domain[\\/](org-|accounts-csv|template[\\/]organization-template))/;
// The connections pages (issue 13) likewise: the wizard's later steps do not carry them.
const CONNECTIONS = /src[\\/](features[\\/]connections[\\/]|app[\\/]connection(s-route|-page|-prowler-push))/;

// The built app is served by the Node server (src/server), never by a CDN,
// so the manifest lets the server and the bundle budgets find the entry chunks.
export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: 'es2022',
    // Browsers that run es2022 but lack <link rel="modulepreload"> (Safari before 17) fetch a
    // chunk when it is imported instead of ahead: slower there, never broken. The polyfill cost
    // every other browser ~0.3 KB on the first screen (docs/decisions/065).
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // `$initial`: statically imported by the entry, i.e. what the first screen loads anyway.
            { name: 'app', tags: ['$initial'], priority: 30 },
            { name: 'forms', test: FORMS, priority: 20 },
            {
              name: 'steps',
              test: (id) => !OWN_CHUNK.test(id) && !ORGANIZATION.test(id) && !CONNECTIONS.test(id),
              priority: 10,
            },
            // Last, so what they share with the wizard stays in the wizard's chunks.
            { name: 'organization', test: ORGANIZATION, priority: 5 },
            { name: 'connections', test: CONNECTIONS, priority: 5 },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
});
