// Version 15: SCDR's PLF verdict keeps the numbers the rule judged (the text and image heads' CE on
// the common feature, and the threshold) instead of a sentence per post. At the end of a run on
// 100,000 posts those sentences were ~11 MB of two-byte strings turned to UTF-8 and written: about a
// third of the write (docs/RESULTS.md). The review queue words the numbers a page at a time. Rows
// written before keep their sentence; `plf_reason` still holds why the rule did not run.
import type { Migration } from './migrations-types'

export const PLF_EVIDENCE: Migration = {
  version: 15,
  name: "pseudo-labels: the PLF rule's numbers kept, its sentence written on reading",
  sql: `
    ALTER TABLE pseudo_labels ADD COLUMN plf_ce_text REAL;
    ALTER TABLE pseudo_labels ADD COLUMN plf_ce_image REAL;
    ALTER TABLE pseudo_labels ADD COLUMN plf_threshold REAL;
  `,
}
