import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The shared evaluation copy of MVSA-Single (research use: read in place, never copied into the repo). */
export const MVSA_SINGLE = path.resolve(fileURLToPath(new URL('../../../../shared/data/mvsa-single', import.meta.url)))
export const hasMvsa = existsSync(path.join(MVSA_SINGLE, 'labelResultAll.txt'))
