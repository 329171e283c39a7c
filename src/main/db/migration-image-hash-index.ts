// Version 22: posts by their image's hash and external id, so an extraction finds the posts
// elsewhere in the store with the same image (and id, which seeds the augmented views) and copies
// their cached vectors instead of encoding them again (features/extraction/reuse.ts): a data set
// imported a second time, into another project or through a Label Studio round trip, needs no
// second extraction.
import type { Migration } from './migrations-types'

export const IMAGE_HASH_INDEX: Migration = {
  version: 22,
  name: 'posts: an index on the image hash and external id',
  sql: `
    CREATE INDEX posts_image_hash ON posts(image_hash, external_id);
  `,
}
