import type { Split } from '#shared/vocabulary'
import type { CandidateLabel } from '#main/db/import-writer'

/** Where a post was described in the input, for the problem report. */
export interface Origin {
  /** Absolute path of the file that describes the post. */
  file: string
  line?: number
}

/** A post as a reader found it, before its image is checked and before anything is written. */
export interface Candidate {
  externalId: string
  origin: Origin
  text: string
  /** Absolute path of the image file. */
  imageFile: string
  /** The folder the image must lie in, when the record named one (`image_root`); else the data set's. */
  imageRoot?: string
  labels: CandidateLabel[]
  split: Split
  conflict: boolean
}
