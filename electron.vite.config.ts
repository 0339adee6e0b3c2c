import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { withDevCsp } from './src/main/csp';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The window's main process and the headless CLI share the core; dependencies stay in node_modules.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
    plugins: [
      react(),
      // The dev server alone may open Vite's hot-reload socket; the built page keeps the strict policy.
      { name: 'cogdesk-dev-csp', apply: 'serve', transformIndexHtml: { order: 'pre', handler: withDevCsp } },
    ],
  },
});
