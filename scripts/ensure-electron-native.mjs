#!/usr/bin/env node
// Makes sure better-sqlite3 exists built for Electron's ABI, in .cache/electron-native/<version>/,
// before `npm start` / `npm run dev` launch Electron. node_modules keeps Node's own build, so
// `npm test` and the CLI work after any `npm install`, offline; this script never runs there.
// It needs the network once per Electron version (a prebuilt binary, or Electron's headers to compile).
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary } from './electron-binary.mjs'
import { electronVersion, nativeBindingPath } from './electron-paths.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const version = electronVersion(root)
const target = nativeBindingPath(root, version)

function fail(what, fix) {
  console.error(`\nCommon Ground cannot start: ${what}\n${fix}\n`)
  process.exit(1)
}

if (!findElectronBinary()) {
  fail(
    `the Electron ${version} binary is not installed (node_modules/electron/dist is missing).`,
    'Electron downloads it on first launch, which needs internet access: run `node node_modules/electron/install.js` ' +
      'once online, then `npm start` again. Without it, browser mode works offline: `npm run serve`.',
  )
}
if (existsSync(target)) process.exit(0)

console.log(`Preparing better-sqlite3 for Electron ${version} (once per Electron version)…`)
const pkgDir = path.join(root, 'node_modules', 'better-sqlite3')
// A copy, so Node's build in node_modules (used by the tests and the CLI) is never overwritten.
const work = mkdtempSync(path.join(os.tmpdir(), 'cg-electron-native-'))
const failures = []
let ready = false
try {
  cpSync(pkgDir, work, { recursive: true, filter: (src) => src !== path.join(pkgDir, 'build') })
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node')
  for (const attempt of [prebuilt, compiled]) {
    const error = attempt(work)
    if (error === null && existsSync(built)) {
      mkdirSync(path.dirname(target), { recursive: true })
      copyFileSync(built, `${target}.tmp`)
      renameSync(`${target}.tmp`, target) // never a half-written binary at the final path
      ready = true
      break
    }
    failures.push(error ?? `${attempt.name} produced no build/Release/better_sqlite3.node`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
if (!ready) {
  fail(
    `could not build better-sqlite3 for Electron ${version}.\n${failures.map((f) => `  - ${f}`).join('\n')}`,
    "This needs internet access once (a prebuilt binary from GitHub, or Electron's headers from electronjs.org) " +
      'and, to compile, python3 and a C++ compiler (build-essential / Xcode / Visual Studio Build Tools). ' +
      'Fix that and run `npm start` again.',
  )
}
console.log(`Ready: ${path.relative(root, target)}`)

/** The prebuilt binary better-sqlite3 publishes for each Electron ABI: no compiler needed. */
function prebuilt(cwd) {
  const tool = resolveFrom([root], 'prebuild-install/bin.js')
  if (!tool) return 'prebuild-install is not installed'
  return run('prebuild-install', tool, ['--runtime=electron', `--target=${version}`, `--arch=${process.arch}`], cwd)
}

/** Compiles against Electron's headers with node-gyp (npm ships one when the project has none). */
function compiled(cwd) {
  const npmDirs = [
    process.env.npm_execpath ? path.dirname(process.env.npm_execpath) : null,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm'),
  ].filter((dir) => dir !== null)
  const tool = resolveFrom([root, ...npmDirs], 'node-gyp/bin/node-gyp.js')
  if (!tool) return 'node-gyp was found neither in node_modules nor beside npm'
  const args = [
    'rebuild',
    '--release',
    `--target=${version}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
    '--runtime=electron',
  ]
  return run('node-gyp', tool, args, cwd)
}

/** Runs a tool quietly; returns null on success, else what went wrong in a line or two. */
function run(name, script, args, cwd) {
  const env = { ...process.env }
  // npm passes its own config down (e.g. nodedir=Node's headers), which would build for Node again.
  for (const key of Object.keys(env)) if (/^npm_config_(nodedir|runtime|target|disturl|arch)$/i.test(key)) delete env[key]
  const result = spawnSync(process.execPath, [script, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.status === 0) return null
  // The first error lines say what happened; stack frames and the environment dump do not.
  const lines = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').map((line) => line.trim())
  const reason = lines
    .filter((line) => /err|warn|fail/i.test(line) && !/ at |System|command|cwd|node -v|node-gyp -v|not ok|rolling back/.test(line))
    .map((line) => line.replace(/^(gyp ERR! (stack )?|prebuild-install (warn|err!?) )/i, ''))
    .slice(0, 4)
  return `${name} failed: ${(reason.length > 0 ? reason : lines.slice(-3)).join(' ')}`
}

function resolveFrom(dirs, request) {
  try {
    return createRequire(import.meta.url).resolve(request, { paths: dirs })
  } catch {
    return null
  }
}
