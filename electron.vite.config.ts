// Three builds: the Electron main process (ESM, out/main), the preload (CommonJS, out/preload) and
// the renderer (out/renderer), which the HTTP server of browser mode serves as well.
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { META_CONTENT_SECURITY_POLICY } from './src/shared/csp'

const root = import.meta.dirname

/** Writes the strict CSP into the built index.html; the dev server is left alone (inline styles). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'common-ground:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  }
}

export default defineConfig({
  main: {
    // Every package in `dependencies` (better-sqlite3 and sharp are native; ws, tsx) stays external
    // and loads from node_modules at run time: electron-vite's `externalizeDeps`, on by default.
    build: {
      outDir: resolve(root, 'out/main'),
      lib: { entry: resolve(root, 'src/main/electron/index.ts'), formats: ['es'] },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload can only require('electron'): bundle everything else into one file,
      // as CommonJS, because sandboxed preloads cannot be ES modules (package.json says "module",
      // so the file is named index.cjs).
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src/preload/index.ts'), formats: ['cjs'] },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    // Relative asset URLs work from file:// (Electron) and from http://host/ (browser mode).
    base: './',
    plugins: [vue(), contentSecurityPolicyMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
  },
})
