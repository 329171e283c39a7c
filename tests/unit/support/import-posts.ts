// Posts as an import hands them to its write (checked, with their labels), made up: a text and an
// image label each, and an overall one on four in five. The import-write test and bench use them.
import type { ValidatedPost } from '#main/db/import-writer'
import { SENTIMENTS, SPLITS } from '#shared/vocabulary'

/** `n` posts whose external ids are `${prefix}0`, `${prefix}1`, … */
export function importPosts(n: number, prefix = 'p'): ValidatedPost[] {
  return Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}${i}`,
    text: `post number ${i} #bench @someone https://example.org/${i}`,
    imagePath: `img/${i}.jpg`,
    imageHash: `${i}`.padStart(64, '0'),
    width: 384,
    height: 288,
    split: SPLITS[i % 4]!,
    conflict: false,
    labels: [
      { modality: 'text', label: SENTIMENTS[i % 3]!, annotator: 'bench' },
      { modality: 'image', label: SENTIMENTS[(i >> 1) % 3]!, annotator: 'bench' },
      ...(i % 5 !== 0 ? [{ modality: 'overall' as const, label: SENTIMENTS[(i * 7) % 3]!, annotator: 'bench' }] : []),
    ],
  }))
}
