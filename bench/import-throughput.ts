import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SENTIMENTS } from '#shared/vocabulary'
import { openStore } from '#main/db/store'
import { runImport } from '#main/datasets/run-import'
import { MVSA_SINGLE as MVSA, mvsaMissing } from '../tests/unit/support/mvsa-dir'
import { withScratch, type Bench, type Figure } from './harness'
import { writeInPlace } from '#main/db/import-writer'
import { importOnThread } from '#main/app/import-thread/on-import-thread'
import { writeWhenFree } from '#main/db/write-lock'
import type { Store } from '#main/db/store'
import { importPosts } from '../tests/unit/support/import-posts'
import { jpeg } from '../tests/unit/support/images'
import { POSTS } from './fixture'
import { StallTrace } from './stall-trace'
import { ProblemLog } from '#main/datasets/problems'
import { readCsv, readJsonl } from '#main/datasets/read-tabular'
import { readLabelStudio } from '#main/datasets/read-label-studio'
import { readFolder } from '#main/datasets/read-folder'
import { MVSA_LABEL_FILE, readMvsa } from '#main/datasets/read-mvsa'

/** Full MVSA-Single import: read, decode every image, thumbnails, one write. Target under 30 s. */
export const importThroughput: Bench = {
  name: 'import',
  async run() {
    if (mvsaMissing) {
      console.warn(`import: skipped, ${mvsaMissing}`)
      return []
    }
    return withScratch(async (dir) => {
      const store = openStore(path.join(dir, 'bench.db'))
      const project = store.projects.create('bench')
      const started = performance.now()
      const report = await runImport({ store, projectId: project.id, path: MVSA })
      const seconds = (performance.now() - started) / 1000
      store.close()
      return [
        { bench: 'import', metric: `MVSA-Single full import (${report.imported} posts)`, value: seconds, unit: 's', target: '< 30 s' },
        { bench: 'import', metric: 'import throughput', value: report.imported / seconds, unit: 'posts/s' },
      ]
    })
  },
}

/** Milliseconds between two labels a person sets while an import runs (on its thread). */
const LABEL_EVERY_MS = 250

/**
 * A person labeling while `during` runs: a key every LABEL_EVERY_MS, each label sent once the one
 * before it is answered (the UI's write queue, lib/write-queue.ts) and waiting for the write lock as
 * `labels.set` does. How many landed, how many failed (the first failure's message), and the longest
 * time from a key to its label's answer.
 */
async function labelingDuring(store: Store, during: Promise<unknown>): Promise<{ landed: number; failed: number; firstError?: string; longestMs: number }> {
  const { id: projectId } = store.projects.create('labeling')
  const sourceId = store.sources.insert(projectId, '/labels', 'folder')
  const { labels: _, ...row } = importPosts(1, 'label')[0]!
  const postId = store.posts.insert(projectId, sourceId, row)
  const result = { landed: 0, failed: 0, firstError: undefined as string | undefined, longestMs: 0 }
  let writing = true
  void during.finally(() => (writing = false))
  let queue = Promise.resolve()
  for (let i = 0; writing; i++) {
    const key = performance.now()
    const label = SENTIMENTS[i % 3]!
    queue = queue.then(async () => {
      try {
        await writeWhenFree(store.db, () => store.annotations.append({ projectId, postId, modality: 'overall', label, source: 'human', kind: 'label', annotator: 'bench' }))
        result.landed++
      } catch (err) {
        result.failed++
        result.firstError ??= (err as Error).message
      }
      result.longestMs = Math.max(result.longestMs, performance.now() - key)
    })
    await sleep(LABEL_EVERY_MS)
  }
  await queue
  return result
}

/**
 * An import's last step at 100,000 posts, its one transaction on the shell's own connection: the
 * CLI's way, and the app's before imports ran on a thread of their own (import-scale measures
 * those, read to write), with the event loop's longest stall meanwhile (a 1 ms timer) and the
 * write's wall time.
 */
export const importWrite: Bench = {
  name: 'import-write',
  async run() {
    const posts = importPosts(POSTS)
    return withScratch(async (dir) => {
      const store = openStore(path.join(dir, 'write.db'))
      const projectId = store.projects.create('bench').id
      const started = performance.now()
      const stall = await new StallTrace().watch(async () => void await writeInPlace(store)({ projectId, root: '/bench', format: 'folder', posts, report: {}, startedAt: Date.now() }, {}))
      const wall = performance.now() - started
      store.close()
      return [
        { bench: 'import', metric: `write ${POSTS / 1000}k posts in place (the CLI's way): wall`, value: wall, unit: 'ms' },
        { bench: 'import', metric: `write ${POSTS / 1000}k posts in place (the CLI's way): longest event-loop stall`, value: stall.wall, unit: 'ms' },
      ]
    })
  },
}

/**
 * An import's first step at 100,000 posts: a CSV, a JSONL and a Label Studio JSON export of that many
 * records, a folder of that many text + image pairs named like `post_123`, and MVSA's layout of that
 * many posts (data/<id>.txt + .jpg, labelResultAll.txt), read and checked
 * record by record (no image decoded yet), on this event loop as the app reads them, with the loop's
 * longest stall meanwhile and the read's wall time.
 */
export const importRead: Bench = {
  name: 'import-read',
  async run() {
    const figures: Figure[] = []
    await withScratch(async (dir) => {
      const csv = ['id,text,image,label,text_label,image_label,split']
      const jsonl: string[] = []
      for (const p of importPosts(POSTS)) {
        csv.push(`${p.externalId},"${p.text}",${p.imagePath},positive,neutral,negative,${p.split}`)
        jsonl.push(JSON.stringify({ id: p.externalId, text: p.text, image: p.imagePath, label: 'positive', split: p.split }))
      }
      const files = {
        csv: path.join(dir, 'posts.csv'),
        jsonl: path.join(dir, 'posts.jsonl'),
        'label studio json': path.join(dir, 'tasks.json'),
        folder: path.join(dir, 'folder'),
        'mvsa layout': path.join(dir, 'mvsa'),
      }
      writeFileSync(files.csv, csv.join('\n'))
      writeFileSync(files.jsonl, jsonl.join('\n'))
      writeFileSync(files['label studio json'], JSON.stringify(labelStudioTasks(POSTS), null, 2))
      writeFolder(files.folder, POSTS)
      writeMvsaLayout(files['mvsa layout'], POSTS)
      const readers = {
        csv: readCsv,
        jsonl: readJsonl,
        'label studio json': readLabelStudio,
        folder: (at: string, log: ProblemLog) => readFolder(at, log, new AbortController().signal),
        'mvsa layout': (at: string, log: ProblemLog) => readMvsa(at, log, new AbortController().signal),
      }
      for (const format of ['csv', 'jsonl', 'label studio json', 'folder', 'mvsa layout'] as const) {
        let records = 0
        const started = performance.now()
        const trace = new StallTrace(40)
        const stall = await trace.watch(async () => {
          records = (await readers[format](files[format], new ProblemLog(dir))).length
        })
        for (const { stall: s, cause } of trace.top(3)) console.log(`import-read: ${format}: ${s.wall.toFixed(0)} ms (${s.own.toFixed(0)} ms own): ${cause}`)
        trace.close()
        const what = {
          csv: 'a CSV',
          jsonl: 'a JSONL',
          'label studio json': 'a Label Studio JSON',
          folder: 'a folder',
          'mvsa layout': "MVSA's layout",
        }[format] + ` of ${records / 1000}k posts`
        figures.push(
          { bench: 'import', metric: `read ${what}: wall`, value: performance.now() - started, unit: 'ms' },
          { bench: 'import', metric: `read ${what}: longest event-loop stall`, value: stall.wall, unit: 'ms', target: '≤ 50 ms' },
        )
      }
    })
    return figures
  },
}

/** `n` Label Studio tasks as its JSON export has them: an overall choice on each, an image path beside the file. */
function labelStudioTasks(n: number): unknown[] {
  return importPosts(n).map((p, i) => ({
    id: i + 1,
    data: { external_id: p.externalId, text: p.text, image: p.imagePath, split: p.split },
    annotations: [{ id: i + 1, result: [{ from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: [SENTIMENTS[i % 3]] } }] }],
  }))
}

/** A folder of `n` `post_<i>.txt` + `post_<i>.jpg` pairs, every image the same bytes (empty by default: a read only pairs them). */
function writeFolder(dir: string, n: number, image: Uint8Array = new Uint8Array()): void {
  mkdirSync(dir)
  for (const p of importPosts(n)) {
    const name = `post_${p.externalId.slice(1)}`
    writeFileSync(path.join(dir, `${name}.txt`), p.text)
    writeFileSync(path.join(dir, `${name}.jpg`), image)
  }
}

/** MVSA's layout with `n` posts: data/<id>.txt + data/<id>.jpg (empty images), and labelResultAll.txt with a text,image pair each. */
function writeMvsaLayout(dir: string, n: number): void {
  mkdirSync(path.join(dir, 'data'), { recursive: true })
  const labels = ['ID\ttext,image']
  importPosts(n).forEach((p, i) => {
    const id = String(i + 1)
    writeFileSync(path.join(dir, 'data', `${id}.txt`), p.text)
    writeFileSync(path.join(dir, 'data', `${id}.jpg`), new Uint8Array())
    labels.push(`${id}\t${SENTIMENTS[i % 3]},${SENTIMENTS[(i + 1) % 3]}`)
  })
  writeFileSync(path.join(dir, MVSA_LABEL_FILE), labels.join('\n'))
}

/**
 * A whole import of 100,000 posts as the app runs it (read, checked and written on a thread of its
 * own, app/import-thread), from a CSV whose rows all name one small image and from a folder of text +
 * image pairs whose images are copies of it, so the images phase decodes it 100,000 times
 * (~2.5 min each on 2 cores). The loop's longest stall over each whole import, with the three
 * longest over 40 ms and what ran in them; during the first, a person labels (labelingDuring).
 * Named only: `npm run bench import-scale`.
 */
export const importScale: Bench = {
  name: 'import-scale',
  onlyWhenNamed: true,
  async run() {
    return withScratch(async (dir) => {
      mkdirSync(path.join(dir, 'img'))
      const image = await jpeg(1)
      writeFileSync(path.join(dir, 'img', 'one.jpg'), image)
      const rows = ['id,text,image,label,split']
      for (const p of importPosts(POSTS)) rows.push(`${p.externalId},${p.text},img/one.jpg,positive,${p.split}`)
      writeFileSync(path.join(dir, 'posts.csv'), rows.join('\n'))
      writeFolder(path.join(dir, 'folder'), POSTS, image)
      const figures: Figure[] = []
      let csvProject: { store: Store; projectId: number } | null = null
      for (const [what, source] of [['CSV, one image', 'posts.csv'], ['folder of pairs', 'folder'], ['the same CSV again, into its project', 'posts.csv']] as const) {
        // The third imports the CSV into the project that holds its 100,000 posts: each is found there already.
        const previous: { store: Store; projectId: number } | null = what.startsWith('the same') ? csvProject : null
        const again = previous !== null
        const store: Store = previous?.store ?? openStore(path.join(dir, `scale-${source}.db`))
        const projectId: number = previous?.projectId ?? store.projects.create('scale').id
        const trace = new StallTrace(40)
        const started = performance.now()
        let imported = 0
        let labeling: Awaited<ReturnType<typeof labelingDuring>> | undefined
        const stall = await trace.watch(async () => {
          const importing = importOnThread({ dbPath: store.path }, { request: { projectId, path: path.join(dir, source) }, roots: null, signal: new AbortController().signal, onProgress: () => undefined })
          // A person labels meanwhile in another project of the store: their labels wait for the import's transaction.
          if (what.startsWith('CSV')) labeling = await labelingDuring(store, importing)
          imported = (await importing).imported
        })
        const wall = performance.now() - started
        for (const { stall: s, cause } of trace.top(3)) console.log(`import-scale: ${what}: ${s.wall.toFixed(0)} ms (${s.own.toFixed(0)} ms own): ${cause}`)
        trace.close()
        if (source === 'posts.csv' && !again) csvProject = { store, projectId }
        else store.close()
        const posts = again ? `${POSTS / 1000}k posts, all already there` : `${imported / 1000}k posts`
        figures.push(
          { bench: 'import', metric: `whole import of ${posts} (${what}), as the app runs it: wall`, value: wall / 1000, unit: 's' },
          { bench: 'import', metric: `whole import of ${posts} (${what}): longest event-loop stall`, value: stall.wall, unit: 'ms', target: '≤ 50 ms' },
        )
        if (labeling) {
          if (labeling.firstError) console.warn(`import-scale: a label failed: ${labeling.firstError}`)
          figures.push(
            { bench: 'import', metric: `labels written every ${LABEL_EVERY_MS} ms meanwhile: landed`, value: labeling.landed, unit: 'labels' },
            { bench: 'import', metric: `labels written every ${LABEL_EVERY_MS} ms meanwhile: failed`, value: labeling.failed, unit: 'labels', target: '0' },
            { bench: 'import', metric: `labels written every ${LABEL_EVERY_MS} ms meanwhile: longest answer`, value: labeling.longestMs, unit: 'ms' },
          )
        }
      }
      return figures
    })
  },
}
