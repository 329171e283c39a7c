// `common-ground label-check`: the check through the CLI, as JSON, with the planted wrong label at
// the top; usage errors exit 2 and name the option.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore } from '#main/db/store'
import { cli } from './support/cli'
import { tempDir } from './support/temp'
import { trainingProject } from './support/training-project'

describe('label-check command', () => {
  it('lists the likely label errors as JSON, the planted one first, and writes no label', async () => {
    const db = path.join(tempDir(), 'cli.db')
    const store = openStore(db)
    const { projectId, postIds } = trainingProject(store, { posts: 90, name: 'mvsa' })
    const wrong = postIds[40]!
    const label = store.annotations.latest(wrong, 'overall')!.label === 'positive' ? 'negative' : 'positive'
    store.annotations.append({ projectId, postId: wrong, modality: 'overall', label, source: 'human', kind: 'label', annotator: 'ann' })
    const rows = (store.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n
    store.close()

    const { code, stdout } = await cli('label-check', '--db', db, '--project', 'mvsa', '--show', '3', '--json')
    expect(code).toBe(0)
    const out = JSON.parse(stdout) as { check: { status: string; checked: number }; top: Array<{ postId: number; given: string; givenBy: string }> }
    expect(out.check).toMatchObject({ status: 'done', checked: 90 })
    expect(out.top[0]).toMatchObject({ postId: wrong, given: label, givenBy: 'ann' })
    const after = openStore(db)
    expect((after.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n).toBe(rows)
    after.close()
  })

  it('refuses a bad --show with exit code 2', async () => {
    const { code, stderr } = await cli('label-check', '--db', path.join(tempDir(), 'x.db'), '--project', 'p', '--show', 'many')
    expect(code).toBe(2)
    expect(stderr).toContain('--show must be a whole number')
  })
})
