// Builds the web application (src/web) into dist/web: hashed assets the server caches for a year, index.html it
// never caches. The estimate worker bundles the estimator's core; its few Node built-ins get browser stand-ins.
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [preact()],
  resolve: {
    alias: {
      'node:fs': here('shims/fs.ts'),
      'node:path': here('shims/path.ts'),
      'node:url': here('shims/url.ts'),
    },
  },
  worker: { format: 'es' },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // A module preload polyfill is an inline script; the server's CSP allows none, and Chromium needs none.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
