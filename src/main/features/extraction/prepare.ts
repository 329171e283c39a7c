// Turns a batch of planned posts into encoder inputs: each image decoded once (sharp, on libuv's
// threads) and cut into its views, each text into its views. A post whose image cannot be read
// keeps its text views and is reported; the batch goes on.
import type { ExtractionProblem } from '#shared/features'
import { resolveInside } from '#main/core/safe-path'
import { decodeBase } from '../augment/decode'
import { imageView } from '../augment/image-views'
import { viewRandom } from '../augment/seed'
import { strongText } from '../augment/text-views'
import type { RgbImage } from '../encoder'
import { viewName } from '../views'
import type { PlanItem } from './plan'

export interface Input<T> {
  postId: number
  view: string
  input: T
}

export interface PreparedBatch {
  posts: number
  images: Input<RgbImage>[]
  texts: Input<string>[]
  /** Posts of the batch that needed image views. */
  imagePosts: number
  textPosts: number
  problems: ExtractionProblem[]
}

export interface ViewSettings {
  /** The image encoder's input side. */
  size: number
  seed: number
}

async function imageInputs(item: PlanItem, settings: ViewSettings): Promise<Input<RgbImage>[]> {
  const file = await resolveInside(item.post.root, item.post.imagePath)
  if (!file) throw new Error(`image ${item.post.imagePath} is missing or outside its source folder ${item.post.root}`)
  const base = await decodeBase(file, settings.size)
  return item.image.map((view) => {
    const name = viewName(view)
    return { postId: item.post.id, view: name, input: imageView(base, view, settings.size, viewRandom(item.post.externalId, name, settings.seed)) }
  })
}

function textInputs(item: PlanItem, seed: number): Input<string>[] {
  return item.text.map((view) => {
    const name = viewName(view)
    const text = view.kind === 'strong' ? strongText(item.post.text, viewRandom(item.post.externalId, name, seed)) : item.post.text
    return { postId: item.post.id, view: name, input: text }
  })
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** Never rejects: an unreadable image, or a text whose views cannot be made, becomes a problem of its post. */
export async function prepareBatch(items: readonly PlanItem[], settings: ViewSettings): Promise<PreparedBatch> {
  const problems: ExtractionProblem[] = []
  const perPost = await Promise.all(
    items.map(async (item) => {
      if (item.image.length === 0) return []
      try {
        return await imageInputs(item, settings)
      } catch (err) {
        problems.push({ postId: item.post.id, externalId: item.post.externalId, message: messageOf(err) })
        return []
      }
    }),
  )
  return {
    posts: items.length,
    images: perPost.flat(),
    texts: items.flatMap((item) => {
      try {
        return textInputs(item, settings.seed)
      } catch (err) {
        problems.push({ postId: item.post.id, externalId: item.post.externalId, message: `text: ${messageOf(err)}` })
        return []
      }
    }),
    imagePosts: perPost.filter((inputs) => inputs.length > 0).length,
    textPosts: items.filter((item) => item.text.length > 0).length,
    problems,
  }
}
