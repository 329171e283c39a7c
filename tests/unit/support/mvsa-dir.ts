// Where every test and benchmark that reads the real MVSA-Single copy finds it: the folder named by
// MVSA_DIR, or else the clone's sibling ../shared/data/mvsa-single. The data is research-only: it
// is read in place (or copied into a temp dir), never into the repository. Unit, e2e and Electron
// tests and the benchmarks all take the folder and the reason they skip from here (no test runner
// is imported, so Vitest, Playwright and the benchmarks can all load it).
import { existsSync } from 'node:fs'
import path from 'node:path'

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..')

/** The folder used when MVSA_DIR is not set: `../shared/data/mvsa-single` beside the clone. */
export const MVSA_DEFAULT_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'mvsa-single')

/** The MVSA-Single folder in use (an MVSA folder: `data/`, `labelResultAll.txt`, `splits.csv`). */
export const MVSA_SINGLE = process.env.MVSA_DIR ? path.resolve(process.env.MVSA_DIR) : MVSA_DEFAULT_DIR

const where = process.env.MVSA_DIR ? `MVSA_DIR=${process.env.MVSA_DIR}` : `${MVSA_DEFAULT_DIR} (the default; MVSA_DIR is unset)`

/** Why the real-data tests cannot run here, or null when the copy is there. */
export const mvsaMissing: string | null = ['labelResultAll.txt', 'splits.csv', 'data'].every((name) => existsSync(path.join(MVSA_SINGLE, name)))
  ? null
  : `no MVSA-Single copy at ${where}: set MVSA_DIR to a folder holding data/, labelResultAll.txt and splits.csv`
