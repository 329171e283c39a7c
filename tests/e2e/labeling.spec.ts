// A person labels with the keyboard only, undoes, reloads and finds everything; a second person
// labels half of the same posts, and the agreement view shows the figures computed by hand here.
import { expect, test, type Page } from '@playwright/test'
import type { LabelingPost } from '#shared/labeling'
import type { Sentiment } from '#shared/vocabulary'
import { api } from './api'
import { closeImportReport, createProject, expectAllSaved, importFolder, labelingNewProject, pressOnPosts, readHistory, setAnnotator, shownPostId, type HistoryRow } from './flows'
import { holdWriteLock } from '../unit/support/lock-holder'
import { modalityLabels } from './mvsa-subset'
import { useMvsaSubset } from './subset-fixture'

const subset = useMvsaSubset()

const KEY: Record<Sentiment, string> = { positive: '1', neutral: '2', negative: '3' }
const p = 'positive' as const
const u = 'neutral' as const
const n = 'negative' as const
// Alice's overall labels for 20 posts; Bob's for the first 10 of them.
const ALICE: Sentiment[] = [p, p, p, n, n, n, u, u, u, p, u, p, n, u, p, n, u, p, n, u]
const BOB: Sentiment[] = [p, p, n, n, n, u, u, u, p, p]
/** The post (by position) that also gets a text-only and an image-only label. */
const BOTH_MODALITIES = 4

// Hand-computed on Alice's first ten against Bob's:
//   A  p p p n n n u u u p
//   B  p p n n n u u u p p      → agreed on 7 (positions 1, 2, 4, 5, 7, 8, 10)
// p_o = 7/10. A: p 4, n 3, u 3; B: p 4, n 3, u 3. p_e = (16 + 9 + 9)/100 = 0.34.
// κ = (0.7 − 0.34)/(1 − 0.34) = 6/11 = 0.545.
// α (nominal, 2 coders, 10 posts): n = 20 values, n_p = 8, n_n = 6, n_u = 6; each of the 3
// disagreements adds 2 to the observed sum: α = 1 − 19·6/(400 − 136) = 25/44 = 0.568.
const KAPPA = (6 / 11).toFixed(3)
const ALPHA = (25 / 44).toFixed(3)
const DISAGREE_AT = [2, 5, 8]

/** What is read of a table cell (tsconfig.node.json has no DOM library). */
interface Cell {
  getAttribute(name: string): string | null
}

async function apiPost(page: Page, projectId: number, postId: number): Promise<LabelingPost> {
  const reply = (await (await page.request.post('/api/labels.post', { data: { projectId, postId } })).json()) as { ok: true; result: LabelingPost }
  return reply.result
}

test('labeling with keys only, undo, reload, and agreement between two annotators', async ({ page }, testInfo) => {
  const { dir } = subset()
  const imported = await modalityLabels(dir)

  await page.goto('/')
  await createProject(page, `Labeling ${Date.now()}`)
  const { figures } = await importFolder(page, dir, 'mvsa')
  expect(figures.imported).toBe(200)
  await closeImportReport(page)
  const projectId = Number(await page.getByTestId('project-view').getAttribute('data-project-id'))

  // From the grid to any post: its detail offers to label it. The first visit asks who is labeling.
  const card = page.getByTestId('post-card').nth(7)
  const cardPost = await card.getAttribute('data-external-id')
  await card.click()
  await page.getByTestId('post-detail-label').click()
  await setAnnotator(page, 'alice')
  await expect(page.getByTestId('label-post')).toHaveAttribute('data-external-id', cardPost!)
  // One main landmark (the page's), the post a named region in it: a screen reader's "main" is not ambiguous.
  await expect(page.getByRole('main')).toHaveCount(1)
  await expect(page.getByRole('region', { name: 'The post' })).toBeVisible()

  // The queue starts with the unlabeled posts. MVSA's imported labels cover every post but the
  // conflict ones, which training leaves out and the queue offers only when asked: this person asks,
  // to label posts nobody has labeled yet.
  await page.getByTestId('back-to-project').click()
  await page.getByTestId('nav-label').click()
  await expect(page.getByTestId('label-view')).toBeVisible()
  await page.getByTestId('queue-conflicts').check()
  await expect(page.getByTestId('queue-conflict-note')).toBeVisible()
  await expect(page.getByTestId('current-overall')).toHaveText('Unlabeled')

  // Twenty posts, keys only: one digit each; on one of them T 1 and I 3 first (text positive,
  // image negative), which do not move on.
  const groups = ALICE.map((label, i) => (i === BOTH_MODALITIES ? ['t', '1', 'i', '3', KEY[label]] : [KEY[label]]))
  const posts = await pressOnPosts(page, groups)
  expect(new Set(posts).size).toBe(20)
  await expectAllSaved(page)

  // Undo takes back the last label, on the post it was set on, and shows that post.
  await page.keyboard.press('Control+z')
  await expect(page.getByTestId('label-post')).toHaveAttribute('data-post-id', String(posts[19]))
  await expect(page.getByTestId('current-overall')).toHaveText('Unlabeled')
  await expectAllSaved(page)
  await expect(page.getByTestId('save-status')).toContainText(`undo: post`)
  await page.screenshot({ path: testInfo.outputPath('labeling-after-undo.png') })

  // What must be stored, newest first, for each of the twenty posts.
  const externalIds = new Map<number, string>()
  for (const post of posts) externalIds.set(post, (await apiPost(page, projectId, post)).post.externalId)
  const expectedHistory = (index: number): HistoryRow[] => {
    const ext = externalIds.get(posts[index]!)!
    const { text, image } = imported.get(ext)!
    const alice = (modality: HistoryRow['modality'], label: Sentiment | 'none', kind = 'label'): HistoryRow => ({ modality, label, kind, annotator: 'alice', source: 'human' })
    const own = [alice('overall', ALICE[index]!)]
    if (index === BOTH_MODALITIES) own.push(alice('image', n), alice('text', p))
    if (index === 19) own.unshift(alice('overall', 'none', 'undo'))
    return [
      ...own,
      { modality: 'image', label: image, kind: 'label', annotator: 'mvsa', source: 'imported' },
      { modality: 'text', label: text, kind: 'label', annotator: 'mvsa', source: 'imported' },
    ]
  }

  // After a reload the view comes back to the same post, and every post shows exactly those
  // labels and that history, as the back end stores them.
  await page.reload()
  await expect(page.getByTestId('label-post')).toHaveAttribute('data-post-id', String(posts[19]))
  for (const [i, post] of posts.entries()) {
    await page.goto(`/#/projects/${projectId}/label?post=${post}`)
    await expect(page.getByTestId('label-post')).toHaveAttribute('data-post-id', String(post))
    const overall = i === 19 ? 'Unlabeled' : ALICE[i]!.replace(/^./, (c) => c.toUpperCase())
    await expect(page.getByTestId('current-overall')).toHaveText(overall)
    if (i === BOTH_MODALITIES) {
      await expect(page.getByTestId('current-text')).toHaveText('Positive')
      await expect(page.getByTestId('current-image')).toHaveText('Negative')
    }
    await expect(page.getByTestId('history-entry')).toHaveCount(expectedHistory(i).length)
    expect(await readHistory(page)).toEqual(expectedHistory(i))
    expect((await apiPost(page, projectId, post)).labels.history).toHaveLength(expectedHistory(i).length)
  }
  await expect(page.getByTestId('progress-annotator').filter({ hasText: 'alice' })).toContainText('19 overall, 1 text, 1 image')

  // A second annotator labels the first ten of the same posts, in the same order.
  await setAnnotator(page, 'bob')
  await page.getByTestId('queue-order').selectOption('id')
  await page.getByTestId('queue-split').selectOption('conflict')
  await expect(page.getByTestId('label-post')).toHaveAttribute('data-post-id', String(posts[0]))
  const bobPosts = await pressOnPosts(
    page,
    BOB.map((label) => [KEY[label]]),
  )
  expect(bobPosts).toEqual(posts.slice(0, 10))
  await expectAllSaved(page)
  expect(await shownPostId(page)).toBe(posts[10])

  // Keys typed into a field stay in the field: "3" searches the texts and labels nothing.
  const status = await page.getByTestId('save-status').textContent()
  await page.getByTestId('queue-search').pressSequentially('3')
  await expect(page.getByTestId('label-post-text')).toContainText('3')
  await expect(page.getByTestId('save-status')).toHaveText(status!)
  expect((await apiPost(page, projectId, posts[10]!)).labels.history).toHaveLength(expectedHistory(10).length)
  await page.getByTestId('queue-search').fill('')

  // The agreement view: κ and α as computed above, and the three posts they disagree on.
  await page.getByTestId('nav-agreement').click()
  const pair = page.getByTestId('agreement-pair')
  await expect(pair).toHaveCount(1)
  await expect(pair).toHaveAttribute('data-a', 'alice')
  await expect(pair).toHaveAttribute('data-b', 'bob')
  await expect(pair.getByTestId('pair-posts')).toHaveText('10')
  await expect(pair.getByTestId('pair-agreed')).toHaveText('7')
  await expect(pair.getByTestId('pair-kappa')).toHaveText(KAPPA)
  await expect(page.getByTestId('agreement-alpha')).toContainText(ALPHA)
  const rows = page.getByTestId('disagreement')
  await expect(rows).toHaveCount(DISAGREE_AT.length)
  const listed = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      post: Number(tr.getAttribute('data-post-id')),
      labels: (Array.from(tr.querySelectorAll('[data-testid="disagreement-label"]')) as unknown as Cell[]).map((td) => [td.getAttribute('data-annotator'), td.getAttribute('data-label')]),
    })),
  )
  expect(listed).toEqual(
    DISAGREE_AT.map((i) => ({
      post: posts[i],
      labels: [
        ['alice', ALICE[i]],
        ['bob', BOB[i]],
      ],
    })).sort((a, b) => a.post! - b.post!),
  )
  await page.screenshot({ path: testInfo.outputPath('agreement.png'), fullPage: true })

  // Settling a disagreement is a correction: the list says so, and κ stays the two people's.
  await rows.first().getByTestId('resolve-neutral').click()
  await expect(rows.first()).toHaveAttribute('data-resolved', 'neutral')
  await expect(rows.first().getByTestId('disagreement-resolved')).toHaveText('Resolved: neutral')
  await expect(pair.getByTestId('pair-kappa')).toHaveText(KAPPA)

  // Asked to, it compares the data set's own (imported) labels too: each person against them.
  await page.getByTestId('agreement-imported').check()
  for (const person of ['alice', 'bob']) await expect(page.locator(`[data-testid="agreement-pair"][data-a="${person}"][data-b="mvsa:rule"]`)).toHaveCount(1)
  // The choice is remembered for the project.
  await page.reload()
  await expect(page.getByTestId('agreement-imported')).toBeChecked()
  await expect(page.locator('[data-testid="agreement-pair"][data-b="mvsa:rule"]')).toHaveCount(2)
  await page.getByTestId('agreement-imported').uncheck()
  await expect(pair).toHaveCount(1)
  await expect(pair.getByTestId('pair-kappa')).toHaveText(KAPPA)

  // The agreement view has the project's tabs, as every working view does: one click back to labeling.
  await expect(page.getByTestId('nav-agreement')).toHaveAttribute('aria-current', 'page')
  await page.getByTestId('nav-label').click()
  await expect(page.getByTestId('label-post-text')).toBeVisible()
})

test('a label pressed while another program holds the store past the wait is sent again, says why, and is saved', async ({ page }, testInfo) => {
  const projectId = await labelingNewProject(page, `Busy store ${Date.now()}`, subset().dir, 'alice')
  const postId = await shownPostId(page)

  // Another program (the CLI writing a large import in place, say) holds the write lock for 8 s:
  // the back end gives a write up after 5 s with 'busy', having written nothing.
  const { dbPath } = await api(page, 'app.info', undefined)
  const holder = await holdWriteLock(dbPath, 8_000)
  await page.keyboard.press(KEY.negative)
  const status = page.getByTestId('save-status')
  await expect(status).toHaveAttribute('data-state', 'saving')
  await expect(status).toContainText('Store busy with another program; retry 1 of 3', { timeout: 10_000 })
  await expect(status).toHaveAttribute('data-state', 'saving')
  await page.screenshot({ path: testInfo.outputPath('label-retried-while-busy.png') })

  expect(await holder.exited).toBe(0)
  await expect(status).toHaveAttribute('data-state', 'saved', { timeout: 15_000 })
  await expect(status).toContainText('Saved · post')
  expect((await apiPost(page, projectId, postId)).labels.current.overall).toMatchObject({ label: 'negative', annotator: 'alice' })
})
