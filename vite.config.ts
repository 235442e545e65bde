import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Chunks (issue 7 budgets: first screen <= 100 KB gzip, everything <= 160 KB). Left alone, Rolldown
// cut the build into ~25 small chunks, and each compresses on its own, so the lazy code cost ~8 KB
// more gzip than the same code in a few chunks. The groups below keep the on-demand boundaries
// that matter: the first screen (the entry's static imports) is one chunk; the forms
// (react-hook-form) load with the access-key form or the role step; later steps and their
// troubleshooting load together; the trust-chain picture and the simulator stay separate chunks
// (left to automatic splitting).
const FORMS =
  /node_modules[\\/](react-hook-form|@hookform)[\\/]|src[\\/]features[\\/]connect[\\/](source[\\/]access-keys-form|role[\\/])/;
const OWN_CHUNK = /src[\\/]features[\\/]troubleshoot[\\/](trust-chain|chain-link|trust-simulator|simulator)/;

// The built app is served by the Node server (src/server), never by a CDN,
// so the manifest lets the server and the bundle budgets find the entry chunks.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: 'es2022',
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // `$initial`: statically imported by the entry, i.e. what the first screen loads anyway.
            { name: 'app', tags: ['$initial'], priority: 30 },
            { name: 'forms', test: FORMS, priority: 20 },
            { name: 'steps', test: (id) => !OWN_CHUNK.test(id), priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
});
