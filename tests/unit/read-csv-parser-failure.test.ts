// The CSV parser failing as a whole, not a row it skips (those are named one by one): csv-parse with
// skip_records_with_error skips every malformed input we could write, so its failure is made here.
// The file is refused whole and named, with the line the parser had reached, rather than the import
// stopping on a message that names no file.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { Transform } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { ProblemLog } from '#main/datasets/problems'
import { readCsv } from '#main/datasets/read-tabular'
import { tempDir } from './support/temp'

vi.mock('csv-parse', () => ({
  parse: () =>
    new Transform({
      readableObjectMode: true,
      transform(_chunk, _encoding, done) {
        done(Object.assign(new Error('Invalid Record Length: the parser gave up'), { code: 'CSV_PARSER_FAILED', lines: 2 }))
      },
    }),
}))

describe('readCsv when the parser fails', () => {
  it('refuses the file whole and names it with the line reached and the reason', async () => {
    const dir = tempDir('cg-csv-fail-')
    const file = path.join(dir, 'posts.csv')
    writeFileSync(file, 'id,text,image\n1,hello,1.jpg\n')
    const log = new ProblemLog(dir)
    expect(await readCsv(file, log)).toEqual([])
    expect(log.problems).toEqual([
      { severity: 'error', code: 'bad-file', file: 'posts.csv', line: 2, message: 'Unreadable CSV, none of its rows taken: Invalid Record Length: the parser gave up' },
    ])
  })
})
