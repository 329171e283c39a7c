// One import, start to finish: read the input, check every image, then write the valid posts in
// one transaction (ImportOptions.write; in place by default). The app runs all of it on a thread of
// its own (app/import-thread), the CLI in its process. Nothing touches the database before that
// transaction, so a cancelled or crashed import leaves the store as it was (thumbnails are
// content-addressed files, harmless).
import { createHash } from 'node:crypto'
import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ImportFormat, ImportPhase, ImportReport } from '#shared/imports'
import type { Store } from '#main/db/store'
import { writeInPlace, type ImportWriter, type ValidatedPost } from '#main/db/import-writer'
import { decodeImage, storeThumbnail } from '#main/media/thumbnails'
import { isWithin } from '#main/core/safe-path'
import { forEachInTurns, loopTurns } from '#main/core/loop-turns'
import type { Candidate } from './candidate'
import { detectFormat } from './detect-format'
import { ProblemLog } from './problems'
import { readFolder } from './read-folder'
import { readMvsa } from './read-mvsa'
import { readCsv, readJsonl } from './read-tabular'
import { readLabelStudio } from './read-label-studio'
import { mapPool } from './map-pool'
import { MAX_TEXT_CHARS } from './text-decoding'

export interface ImportProgressUpdate {
  phase: ImportPhase
  done: number
  total: number
}

export interface ImportOptions {
  store: Store
  projectId: number
  path: string
  format?: ImportFormat
  signal?: AbortSignal
  onProgress?: (update: ImportProgressUpdate) => void
  /** Whether a folder (a real path) a record names as its `image_root` may be read; all may by default. */
  mayRead?: (realFolder: string) => Promise<boolean>
  /** Images decoded at once; sharp spreads each over its own threads too. */
  concurrency?: number
  /** Where the last step's one transaction runs: in place on `store` by default; the app's import thread tells the shell as it begins (app/import-thread). */
  write?: ImportWriter
}

export class ImportInputError extends Error {}

export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const started = Date.now()
  const signal = options.signal ?? new AbortController().signal
  const progress = options.onProgress ?? (() => undefined)
  const target = path.resolve(options.path)
  const format = options.format ?? (await detectFormat(target)).format
  if (!format) throw new ImportInputError(`Cannot import ${target}: ${(await detectFormat(target)).reason}`)
  const info = await stat(target).catch(() => null)
  if (!info) throw new ImportInputError(`Cannot import ${target}: it does not exist`)
  const isFileFormat = format === 'csv' || format === 'jsonl' || format === 'label-studio'
  if (isFileFormat !== info.isFile()) {
    throw new ImportInputError(`Cannot import ${target} as ${format}: expected ${isFileFormat ? 'a file' : 'a folder'}`)
  }
  // Real paths from here on: an image or text is accepted only where its real path lies inside.
  const root = await realpath(isFileFormat ? path.dirname(target) : target)
  const log = new ProblemLog(root)

  progress({ phase: 'scanning', done: 0, total: 0 })
  const candidates = await readCandidates(format, target, log, signal)
  signal.throwIfAborted()

  progress({ phase: 'reading', done: 0, total: candidates.length })
  const existing = await options.store.posts.externalIds(options.projectId)
  const fresh = await selectFresh(candidates, existing, log)

  const thumbDir = options.store.thumbnailDir(options.projectId)
  const { sourceRoot, realRootOf } = await imageRoots(fresh, root, log, options.mayRead)
  let done = 0
  progress({ phase: 'images', done, total: fresh.length })
  const checked = await mapPool(fresh, options.concurrency ?? 4, signal, async (c) => {
    const within = realRootOf(c)
    const post = within === null ? null : await checkImage(c, { within, sourceRoot }, thumbDir, log)
    progress({ phase: 'images', done: ++done, total: fresh.length })
    return post
  })
  signal.throwIfAborted()

  // One pass over the checked posts, turning the loop now and then: at 100,000 posts the filters,
  // counts and id set of this step held it ~0.1 s.
  const valid: ValidatedPost[] = []
  let annotations = 0
  let conflicts = 0
  const turn = loopTurns()
  for (const post of checked) {
    await turn()
    if (post === null) continue
    valid.push(post)
    annotations += post.labels.length
    if (post.conflict) conflicts++
  }
  progress({ phase: 'writing', done: 0, total: valid.length })
  // Counted once: the write stores it with its source, its duration running to the write's end (storedReport).
  const skipped = await skippedPosts(log, valid)
  const alreadyPresent = log.problems.filter((p) => p.code === 'already-imported').length
  const report: ImportReport = {
    format,
    path: target,
    found: valid.length + skipped + alreadyPresent,
    imported: valid.length,
    skipped,
    alreadyPresent,
    annotations,
    conflicts,
    problems: log.problems,
    problemCounts: { error: log.errorCount, warning: log.problems.length - log.errorCount },
    durationMs: Date.now() - started,
  }
  if (valid.length > 0) {
    const write = options.write ?? writeInPlace(options.store)
    await write(
      { projectId: options.projectId, root: sourceRoot, format, posts: valid, report, startedAt: started },
      { signal, progress: (done) => progress({ phase: 'writing', done, total: valid.length }) },
    )
  }
  progress({ phase: 'writing', done: valid.length, total: valid.length })
  return { ...report, durationMs: Date.now() - started }
}

/** Posts left out: one per post (or per unreadable row) with an error, unless that post made it in anyway. */
async function skippedPosts(log: ProblemLog, valid: readonly ValidatedPost[]): Promise<number> {
  const errors = log.problems.filter((p) => p.severity === 'error' && p.code !== 'bad-file')
  if (errors.length === 0) return 0
  // In turns: a set of 100,000 ids built in one go holds the loop ~30 ms.
  const importedIds = new Set<string>()
  await forEachInTurns(valid, (p) => importedIds.add(p.externalId))
  const keys = new Set<string>()
  await forEachInTurns(errors, (p) => {
    if (p.externalId !== undefined && importedIds.has(p.externalId)) return
    keys.add(p.externalId ?? `${p.file}:${p.line ?? ''}`)
  })
  return keys.size
}

async function readCandidates(format: ImportFormat, target: string, log: ProblemLog, signal: AbortSignal): Promise<Candidate[]> {
  switch (format) {
    case 'mvsa':
      return readMvsa(target, log, signal)
    case 'folder':
      return readFolder(target, log, signal)
    case 'csv':
      return readCsv(target, log)
    case 'jsonl':
      return readJsonl(target, log)
    case 'label-studio':
      return readLabelStudio(target, log)
  }
}

/** Drops repeated ids within the input (errors) and posts the project already has (warnings). */
async function selectFresh(candidates: Candidate[], existing: Set<string>, log: ProblemLog): Promise<Candidate[]> {
  const seen = new Map<string, Candidate>()
  const fresh: Candidate[] = []
  const turn = loopTurns()
  for (const c of candidates) {
    await turn()
    const first = seen.get(c.externalId)
    if (first) {
      const where = first.origin.line !== undefined ? ` (first on line ${first.origin.line})` : ''
      log.error('duplicate-id', c.origin, `Post id "${c.externalId}" appears again${where}; this one is skipped`, c.externalId)
      continue
    }
    seen.set(c.externalId, c)
    if (existing.has(c.externalId)) {
      log.warn('already-imported', c.origin, `Post "${c.externalId}" is already in the project; left as it is`, c.externalId)
      continue
    }
    if (c.text === '') {
      log.error('empty-text', c.origin, `Post "${c.externalId}" has an empty text`, c.externalId)
      continue
    }
    if (c.text.length > MAX_TEXT_CHARS) {
      log.error('text-too-long', c.origin, `Post "${c.externalId}" has a text of ${c.text.length} characters; at most ${MAX_TEXT_CHARS} are taken. Post refused`, c.externalId)
      continue
    }
    fresh.push(c)
  }
  return fresh
}

interface ImageRoots {
  /** The folder the source is recorded under: the common ancestor of every root an image lies in. */
  sourceRoot: string
  /** The real folder a post's image must lie in; null (problem logged) when that folder may not be read. */
  realRootOf(c: Candidate): string | null
}

/** The data set's root, and the `image_root` folders records name (exports write them), as real paths. */
async function imageRoots(candidates: Candidate[], root: string, log: ProblemLog, mayRead?: (real: string) => Promise<boolean>): Promise<ImageRoots> {
  const named = [...new Set(candidates.flatMap((c) => (c.imageRoot ? [c.imageRoot] : [])))]
  const real = new Map<string, string | null>()
  for (const given of named) {
    const resolved = await realpath(given).catch(() => null)
    real.set(given, resolved !== null && (!mayRead || (await mayRead(resolved))) ? resolved : null)
  }
  const used = [...(candidates.some((c) => !c.imageRoot) ? [root] : []), ...[...real.values()].filter((r): r is string => r !== null)]
  return {
    sourceRoot: used.length > 0 ? commonAncestor(used) : root,
    realRootOf(c) {
      if (!c.imageRoot) return root
      const resolved = real.get(c.imageRoot) ?? null
      if (resolved === null) log.error('path-outside-dataset', c.origin, `image_root ${c.imageRoot} of post "${c.externalId}" does not exist or may not be read`, c.externalId)
      return resolved
    },
  }
}

function commonAncestor(folders: string[]): string {
  let common = folders[0]!
  for (const folder of folders.slice(1)) {
    while (path.relative(common, folder).startsWith('..') || path.isAbsolute(path.relative(common, folder))) common = path.dirname(common)
  }
  return common
}

async function checkImage(c: Candidate, roots: { within: string; sourceRoot: string }, thumbDir: string, log: ProblemLog): Promise<ValidatedPost | null> {
  const root = roots.within
  // An image's problem sits at the image's path; its message names the row that describes the post, where a person fixes it.
  const at = { file: c.imageFile }
  const row = (): string => (c.origin.line !== undefined ? ` (its row: ${log.place(c.origin)})` : '')
  let bytes: Buffer
  let real: string
  try {
    // Symlinks are followed before the check, not after: the lexical path may look inside.
    real = await realpath(c.imageFile)
    if (!isWithin(root, real)) {
      log.error('path-outside-dataset', at, `Image of post "${c.externalId}" leads to ${real}, outside ${root}; not read`, c.externalId)
      return null
    }
    bytes = await readFile(real)
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    log.error(missing ? 'missing-image' : 'unreadable-image', at, missing ? `Image not found for post "${c.externalId}"${row()}` : `Cannot read image: ${(err as Error).message}${row()}`, c.externalId)
    return null
  }
  try {
    const decoded = await decodeImage(bytes)
    const imageHash = createHash('sha256').update(bytes).digest('hex')
    await storeThumbnail(thumbDir, imageHash, decoded.thumbnail)
    return {
      externalId: c.externalId,
      text: c.text,
      imagePath: path.relative(roots.sourceRoot, real),
      imageHash,
      width: decoded.width,
      height: decoded.height,
      split: c.split,
      conflict: c.conflict,
      labels: c.labels,
    }
  } catch (err) {
    log.error('unreadable-image', at, `Not a readable image: ${(err as Error).message.split('\n')[0]}${row()}`, c.externalId)
    return null
  }
}
