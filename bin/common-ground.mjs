#!/usr/bin/env node
// Runs the CLI straight from its TypeScript sources (tsx), so `npx common-ground` works on a
// fresh clone without a build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli/index.ts')
process.exitCode = await main(process.argv.slice(2))
