// A separate process writing rows a chunk per transaction, as a trainer writes its results
// (`inChunks` on a connection watched for other writers), each chunk made to take `chunkMs` on
// purpose. Prints "opened" once its connection has taken its first reading of other writers'
// commits, starts writing at the first line on its stdin, and prints "done" at the end.
// Run as: node --import tsx chunked-writer.ts <db> <chunks> <chunkMs>
import { once } from 'node:events'
import { inChunks, watchOtherWriters } from '#main/db/chunked-insert'
import { openDatabase } from '#main/db/store'

const [dbPath, chunks, chunkMs] = process.argv.slice(2)
const db = openDatabase(dbPath!)
watchOtherWriters(db)
const insert = db.prepare('INSERT INTO slow_rows (i) VALUES (?)')
console.log('opened')
await once(process.stdin, 'data')
process.stdin.pause()
await inChunks(
  db,
  Number(chunks),
  (start, end) => {
    const until = performance.now() + Number(chunkMs)
    while (performance.now() < until);
    for (let i = start; i < end; i++) insert.run(i)
  },
  { chunk: 1 },
)
console.log('done')
db.close()
