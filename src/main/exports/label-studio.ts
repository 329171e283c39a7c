// Label Studio JSON tasks: `data` {text, image, external_id, split}, the current labels as one
// annotation (choices `sentiment` = overall, `text_sentiment`, `image_sentiment`), and with a run a
// prediction of the same three fields (fused, text head, image head) with its confidence.
// This labeling config shows them in Label Studio:
//   <View>
//     <Image name="image" value="$image"/>
//     <Text name="text" value="$text"/>
//     <Choices name="sentiment" toName="text" choice="single"> <Choice value="positive"/> <Choice value="neutral"/> <Choice value="negative"/> </Choices>
//     <Choices name="text_sentiment" toName="text" choice="single"> …same choices… </Choices>
//     <Choices name="image_sentiment" toName="image" choice="single"> …same choices… </Choices>
//   </View>
// src/main/datasets/read-label-studio.ts reads these files back.
import type { Sentiment } from '#shared/vocabulary'
import type { ExportRow } from '#main/db/export-repo'
import { imageReference } from './export-record'

interface ChoiceResult {
  from_name: string
  to_name: string
  type: 'choices'
  value: { choices: [Sentiment] }
  score?: number
}

export interface LabelStudioTask {
  /** `image_root`: the imported folder `image` is relative to, when the image is outside the export's folder. */
  data: { text: string; image: string; image_root?: string; external_id: string; split: string }
  annotations: Array<{ result: ChoiceResult[] }>
  predictions?: Array<{ model_version: string; score: number; result: ChoiceResult[] }>
}

const choice = (fromName: string, toName: string, label: Sentiment, score?: number): ChoiceResult => ({
  from_name: fromName,
  to_name: toName,
  type: 'choices',
  value: { choices: [label] },
  ...(score !== undefined ? { score } : {}),
})

/** The three choice fields present for one post (a missing label or head is left out). */
function results(labels: Array<[string, string, Sentiment | null, number | null]>): ChoiceResult[] {
  return labels.filter(([, , label]) => label !== null).map(([from, to, label, score]) => choice(from, to, label!, score ?? undefined))
}

export function toTask(row: ExportRow, outDir: string, modelVersion: string | null): LabelStudioTask {
  const current = results([
    ['sentiment', 'text', row.overall, null],
    ['text_sentiment', 'text', row.textLabel, null],
    ['image_sentiment', 'image', row.imageLabel, null],
  ])
  const { image, root } = imageReference(row, outDir)
  const task: LabelStudioTask = {
    data: { text: row.text, image, ...(root !== null ? { image_root: root } : {}), external_id: row.externalId, split: row.split },
    annotations: current.length > 0 ? [{ result: current }] : [],
  }
  if (modelVersion !== null && row.pseudoLabel !== null) {
    const predicted = results([
      ['sentiment', 'text', row.pseudoLabel, row.pseudoConfidence],
      ['text_sentiment', 'text', row.pseudoTextLabel, row.pseudoTextConfidence],
      ['image_sentiment', 'image', row.pseudoImageLabel, row.pseudoImageConfidence],
    ])
    task.predictions = [{ model_version: modelVersion, score: row.pseudoConfidence ?? 0, result: predicted }]
  }
  return task
}
