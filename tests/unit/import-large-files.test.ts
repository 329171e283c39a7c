// A CSV, JSONL or Label Studio JSON of many posts is read without holding the event loop (the app
// reads it on the shell's loop): parsed a chunk, line or task at a time, decoded a megabyte at a
// time, with turns of the loop in between. What it reads is what one pass would read: quoted fields
// over several lines across the chunks' cuts, a GB18030 character across the decoder's, line numbers
// of JSONL problems and of Label Studio tasks.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProblemLog } from '#main/datasets/problems'
import { readCsv, readJsonl } from '#main/datasets/read-tabular'
import { readLabelStudio } from '#main/datasets/read-label-studio'
import { readMvsa } from '#main/datasets/read-mvsa'
import { tempDir } from './support/temp'

/** Runs `read` with a 1 ms timer: the longest the timer waited between two firings, and how long the read took. */
async function loopDuring<T>(read: () => Promise<T>): Promise<{ result: T; longestGap: number; took: number }> {
  const started = performance.now()
  let last = started
  let longestGap = 0
  const timer = setInterval(() => {
    const now = performance.now()
    longestGap = Math.max(longestGap, now - last)
    last = now
  }, 1)
  try {
    const result = await read()
    const took = performance.now() - started
    return { result, longestGap: Math.max(longestGap, performance.now() - last), took }
  } finally {
    clearInterval(timer)
  }
}

const ROWS = 30_000
const textOf = (i: number): string => `line one, "quoted" ${i}\nline two ${i}`

describe('large data files', () => {
  it('a CSV of 30,000 posts with quoted texts over two lines reads whole and exact, the loop turning meanwhile', async () => {
    const dir = tempDir('cg-csv-')
    const file = path.join(dir, 'posts.csv')
    const rows = ['id,text,image,label']
    for (let i = 0; i < ROWS; i++) rows.push(`p${i},"${textOf(i).replace(/"/g, '""')}",img/${i}.jpg,positive`)
    writeFileSync(file, rows.join('\n'))
    const log = new ProblemLog(dir)
    const { result, longestGap, took } = await loopDuring(() => readCsv(file, log))
    expect(log.problems).toEqual([])
    expect(result.map((c) => c.externalId)).toEqual(Array.from({ length: ROWS }, (_, i) => `p${i}`))
    expect(result.every((c, i) => c.text === textOf(i))).toBe(true)
    // Parsed in one call, the loop stood still for most of the read.
    expect(longestGap).toBeLessThan(took / 3)
  })

  it('a JSONL of 30,000 posts with CRLF line ends and a bad line reads whole, the bad line named by its number', async () => {
    const dir = tempDir('cg-jsonl-')
    const file = path.join(dir, 'posts.jsonl')
    const lines = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ id: `p${i}`, text: `post ${i}`, image: `img/${i}.jpg` }))
    lines.splice(20_000, 0, '', '{"id": "broken"')
    writeFileSync(file, lines.join('\r\n') + '\r\n')
    const log = new ProblemLog(dir)
    const { result, longestGap, took } = await loopDuring(() => readJsonl(file, log))
    expect(result).toHaveLength(ROWS)
    expect(result.at(-1)).toMatchObject({ externalId: `p${ROWS - 1}`, text: `post ${ROWS - 1}` })
    expect(log.problems).toMatchObject([{ code: 'bad-row', line: 20_002 }])
    expect(longestGap).toBeLessThan(took / 3)
  })

  it('a Label Studio export of 30,000 tasks reads whole, each problem at its task’s line, the loop turning meanwhile', async () => {
    const dir = tempDir('cg-ls-')
    const file = path.join(dir, 'tasks.json')
    const task = (i: number) => ({
      id: i,
      data: { external_id: `p${i}`, text: textOf(i), image: `img/${i}.jpg` },
      annotations: [{ result: [{ from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['positive'] } }] }],
    })
    const tasks: unknown[] = Array.from({ length: ROWS }, (_, i) => task(i))
    tasks.splice(25_000, 0, { data: { text: 'no image', external_id: 'bad' } })
    const text = JSON.stringify(tasks, null, 2)
    writeFileSync(file, text)
    const log = new ProblemLog(dir)
    const { result, longestGap, took } = await loopDuring(() => readLabelStudio(file, log))
    expect(result.map((c) => c.externalId)).toEqual(Array.from({ length: ROWS }, (_, i) => `p${i}`))
    expect(result.every((c, i) => c.text === textOf(i) && c.labels[0]?.label === 'positive')).toBe(true)
    // Task 25,001 opens on the line after the one where task 25,000 ends.
    const badLine = text.split('\n').findIndex((l) => l.includes('"text": "no image"')) - 1
    expect(log.problems).toMatchObject([{ code: 'missing-image', line: badLine, externalId: 'bad', message: 'Task 25001: data.image is missing' }])
    // Parsed in one call, the loop stood still for most of the read.
    expect(longestGap).toBeLessThan(took / 3)
  })

  it("MVSA's layout with a label file of 130,000 rows reads (a spread over its rows threw past ~125,000)", async () => {
    const dir = tempDir('cg-mvsa-big-')
    mkdirSync(path.join(dir, 'data'))
    const rows = Array.from({ length: 130_000 }, (_, i) => `${i + 1}\t${i % 2 === 0 ? 'positive,neutral' : 'negative,negative'}`)
    writeFileSync(path.join(dir, 'labelResultAll.txt'), ['ID\ttext,image', ...rows].join('\n'))
    for (const id of ['1', '2', '3']) {
      writeFileSync(path.join(dir, 'data', `${id}.txt`), `post ${id}`)
      writeFileSync(path.join(dir, 'data', `${id}.jpg`), '')
    }
    const log = new ProblemLog(dir)
    const posts = await readMvsa(dir, log, new AbortController().signal)
    expect(posts.map((p) => [p.externalId, p.text, p.labels.map((l) => `${l.modality}:${l.label}`).join(' ')])).toEqual([
      ['1', 'post 1', 'text:positive image:neutral overall:positive'],
      ['2', 'post 2', 'text:negative image:negative overall:negative'],
      ['3', 'post 3', 'text:positive image:neutral overall:positive'],
    ])
    // The other 129,997 labeled posts have no files: each is named, none imported.
    expect(log.problems.length).toBe(129_997)
    expect(new Set(log.problems.map((p) => p.code))).toEqual(new Set(['missing-text']))
  }, 60_000)

  it('a GB18030 CSV over a megabyte decodes exactly, a character cut by the megabyte included', async () => {
    const dir = tempDir('cg-gb-')
    const file = path.join(dir, 'posts.csv')
    // 中文 is d6 d0 ce c4 in GB18030. The text starts at byte 19, an odd offset, so byte 1,048,576 falls inside a character.
    const head = Buffer.from('id,text,image\np00,"', 'latin1')
    const text = Buffer.alloc(4 * 300_000)
    for (let at = 0; at < text.length; at += 4) text.set([0xd6, 0xd0, 0xce, 0xc4], at)
    expect(head.length % 2).toBe(1)
    writeFileSync(file, Buffer.concat([head, text, Buffer.from('",a.jpg\n', 'latin1')]))
    const log = new ProblemLog(dir)
    const [post] = await readCsv(file, log)
    expect(post!.text).toBe('中文'.repeat(300_000))
    expect(log.problems.map((p) => p.code)).toEqual(['not-utf8'])
  })
})
