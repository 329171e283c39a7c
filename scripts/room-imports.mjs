#!/usr/bin/env node
// `npm run rooms`: every import in src/ (static, `import type`, `export … from`, `import()`,
// `import('…').T`, `require`; #shared/#main/#renderer subpaths and relative paths), listed as
// room-to-room edges with counts in ladder order. Exits 1 on an arrow the ladder forbids (upward,
// sideways, or out of a shell), a cycle between rooms, a cycle between files (type-only imports
// count), or an import of src/ that names no file. `--quiet` prints only the verdict and problems.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { parse as parseSfc } from 'vue/compiler-sfc'
import { LADDER, mayImport, resolveSpecifier, ROOM_ORDER, roomOf, ROOT } from './room-ladder.mjs'

const quiet = process.argv.includes('--quiet')
const SOURCE = /\.(ts|mts|vue)$/

function listFiles(dir) {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`
    return statSync(path.join(ROOT, rel)).isDirectory() ? listFiles(rel) : SOURCE.test(name) ? [rel] : []
  })
}

/** The script of a .vue file (both blocks), or the file itself. */
function scriptOf(file) {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
  if (!file.endsWith('.vue')) return text
  const { descriptor } = parseSfc(text, { filename: file })
  return [descriptor.script?.content, descriptor.scriptSetup?.content].filter(Boolean).join('\n')
}

/** The file an import lands on, as bundlers and tsc resolve it here; null when none exists. */
function landing(candidate) {
  for (const file of [candidate, `${candidate}.ts`, `${candidate}/index.ts`]) {
    if (existsSync(path.join(ROOT, file)) && statSync(path.join(ROOT, file)).isFile()) return file
  }
  return null
}

const files = listFiles('src').sort()
const fileEdges = new Map(files.map((file) => [file, new Set()]))
const roomEdges = new Map() // 'from>to' → count of imports
const problems = []

for (const file of files) {
  for (const { fileName: specifier } of ts.preProcessFile(scriptOf(file), true, true).importedFiles) {
    const target = resolveSpecifier(file, specifier)
    if (target.unknown) problems.push(`${file}: '${specifier}' matches no "imports" entry of package.json`)
    if (!target.file) continue
    const to = landing(target.file)
    if (to === null) {
      problems.push(`${file}: '${specifier}' names no file`)
      continue
    }
    if (!to.startsWith('src/')) continue
    if (fileEdges.has(to)) fileEdges.get(file).add(to)
    const [a, b] = [roomOf(file), roomOf(to)]
    if (a && b && a !== b) roomEdges.set(`${a}>${b}`, (roomEdges.get(`${a}>${b}`) ?? 0) + 1)
  }
}

/** Tarjan's strongly connected components of size > 1 (or a node importing itself). */
function cycles(nodes, next) {
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const found = []
  let counter = 0
  const visit = (v) => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
    }
    if (low.get(v) !== index.get(v)) return
    const component = []
    let w
    do {
      w = stack.pop()
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1 || next(v).includes(v)) found.push(loopThrough(component, next))
  }
  for (const v of nodes) if (!index.has(v)) visit(v)
  return found
}

/** One loop inside a component, as a path from its first member back to it (shortest, by BFS). */
function loopThrough(component, next) {
  const members = new Set(component)
  const start = component.toSorted()[0]
  const cameFrom = new Map()
  const queue = [start]
  while (queue.length > 0) {
    const v = queue.shift()
    for (const w of next(v)) {
      if (!members.has(w) || cameFrom.has(w)) continue
      cameFrom.set(w, v)
      if (w === start) queue.length = 0
      else queue.push(w)
    }
  }
  const between = []
  for (let v = cameFrom.get(start); v !== start; v = cameFrom.get(v)) between.unshift(v)
  return [start, ...between, start]
}

const rank = (room) => (ROOM_ORDER.includes(room) ? ROOM_ORDER.indexOf(room) : ROOM_ORDER.length)
const edges = [...roomEdges].map(([key, count]) => [...key.split('>'), count])
edges.sort(([a1, b1], [a2, b2]) => rank(a1) - rank(a2) || rank(b1) - rank(b2))
const wrongArrows = edges.filter(([from, to]) => !mayImport(from, to))
const roomCycles = cycles(ROOM_ORDER, (room) => edges.filter(([from]) => from === room).map(([, to]) => to))
const fileCycles = cycles(files, (file) => [...fileEdges.get(file)])

if (!quiet) {
  console.log(`Room ladder (scripts/room-ladder.mjs), lowest first: ${LADDER.map((rung) => rung.join(', ')).join(' < ')}`)
  console.log(`Room-to-room imports in src/ (${files.length} files; count = import statements):`)
  const width = Math.max(...ROOM_ORDER.map((room) => room.length))
  for (const room of ROOM_ORDER) {
    const out = edges.filter(([from]) => from === room)
    const list = out.map(([, to, count]) => `${mayImport(room, to) ? '' : '↑ '}${to} ${count}`).join(', ')
    console.log(`  ${room.padEnd(width)} → ${list || '(nothing)'}`)
  }
}
for (const [from, to, count] of wrongArrows) problems.push(`arrow against the ladder: ${from} → ${to} (${count} import${count === 1 ? '' : 's'})`)
for (const loop of roomCycles) problems.push(`room cycle: ${loop.join(' → ')}`)
for (const loop of fileCycles) problems.push(`file cycle: ${loop.join(' → ')}`)
for (const problem of problems) console.error(`✗ ${problem}`)
console.log(
  problems.length === 0
    ? `rooms: ${files.length} files, ${edges.length} room-to-room arrows, all downward; no room or file cycle`
    : `rooms: ${problems.length} problem(s)`,
)
process.exitCode = problems.length === 0 ? 0 : 1
