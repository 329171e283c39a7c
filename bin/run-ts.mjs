#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, scripts) with tsx: `node bin/run-ts.mjs FILE [args]`.
import { register } from 'tsx/esm/api'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

register()
const [entry, ...rest] = process.argv.slice(2)
if (!entry) {
  console.error('usage: node bin/run-ts.mjs FILE.ts [args]')
  process.exit(2)
}
process.argv = [process.argv[0], entry, ...rest]
await import(pathToFileURL(path.resolve(entry)).href)
