// A store's WAL file read from outside the process that writes it, as SQLite lays it out
// (sqlite.org/fileformat2.html#walformat): a 32-byte header, then frames of a 24-byte header and a page.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs'

function readAt(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r')
  try {
    const out = Buffer.alloc(length)
    return out.subarray(0, readSync(fd, out, 0, length, offset))
  } finally {
    closeSync(fd)
  }
}

/** The WAL header's checkpoint sequence and salts: they change when a write starts the WAL afresh (and fsyncs that header). */
export const walGeneration = (dbPath: string): string => readAt(`${dbPath}-wal`, 12, 12).toString('hex')

/** True once the WAL's first frame belongs to its current generation (its salts are the header's) and ends a transaction: a commit since the WAL started afresh. */
export function walCommittedSinceStart(dbPath: string): boolean {
  const head = readAt(`${dbPath}-wal`, 0, 32 + 24)
  if (head.length < 56) return false
  const frame = head.subarray(32)
  return frame.readUInt32BE(4) !== 0 && frame.subarray(8, 16).equals(head.subarray(16, 24))
}

/** The database's size in bytes once the WAL is all copied into it: the page size times the page count of the WAL's last commit (0: no commit in it). */
export function sizeAfterCheckpoint(dbPath: string): number {
  const wal = readFileSync(`${dbPath}-wal`)
  const pageSize = wal.readUInt32BE(8)
  const salts = wal.subarray(16, 24)
  let pages = 0
  for (let at = 32; at + 24 <= wal.length && wal.subarray(at + 8, at + 16).equals(salts); at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 4) !== 0) pages = wal.readUInt32BE(at + 4)
  }
  return pages * pageSize
}
