// A plain folder of <name>.<image ext> + <name>.txt pairs; the file name is the post's id. Listed
// and sorted with turns of the shell's event loop (a folder may hold 100,000 posts).
import { realpath } from 'node:fs/promises'
import { folderEntries } from '#main/core/folder-entries'
import path from 'node:path'
import type { Candidate } from './candidate'
import type { ProblemLog } from './problems'
import { postText } from './read-text-file'
import { isImageFile, isTextFile } from '#main/media/content-type'
import { sortNatural } from '#main/core/natural-order'
import { loopTurns } from '#main/core/loop-turns'

export async function readFolder(root: string, log: ProblemLog, signal: AbortSignal): Promise<Candidate[]> {
  const images = new Map<string, string>()
  const texts = new Set<string>()
  /** Every name with a text or an image, once. */
  const posts = new Set<string>()
  const turn = loopTurns()
  for await (const entry of await folderEntries(root)) {
    await turn()
    // A symlink is a post's file too: where it leads is judged on real paths later (run-import.ts),
    // so one leading out of the folder is refused by name rather than passed over in silence.
    if (!entry.isFile() && !entry.isSymbolicLink()) continue
    const name = entry.name
    const ext = path.extname(name)
    const stem = name.slice(0, -ext.length)
    if (isTextFile(name)) texts.add(stem)
    else if (!isImageFile(name)) continue
    else if (images.has(stem)) log.error('duplicate-id', { file: path.join(root, name) }, `Two images for post "${stem}"; using ${images.get(stem)}`, stem)
    else images.set(stem, name)
    posts.add(stem)
  }
  const candidates: Candidate[] = []
  const realRoot = await realpath(root)
  const stems = await sortNatural([...posts], turn)
  for (const stem of stems) {
    signal.throwIfAborted()
    const image = images.get(stem)
    const textFile = path.join(root, `${stem}.txt`)
    if (!image) {
      log.error('missing-image', { file: textFile }, `No image named "${stem}" beside this text`, stem)
      continue
    }
    if (!texts.has(stem)) {
      log.error('missing-text', { file: path.join(root, image) }, `No text file "${stem}.txt" beside this image`, stem)
      continue
    }
    const text = await postText(textFile, realRoot, stem, { file: textFile }, log)
    if (text === null) continue
    candidates.push({
      externalId: stem,
      origin: { file: textFile },
      text,
      imageFile: path.join(root, image),
      labels: [],
      split: 'unassigned',
      conflict: false,
    })
  }
  return candidates
}
