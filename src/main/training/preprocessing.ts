// What a trained model needs beside its weights to read new posts: the encoder pair and how its
// features were standardised (preprocessing.json in the run's model folder).

/** How features were standardised before the model saw them: a model is useless without it. */
export const PREPROCESSING_FILE = 'preprocessing.json'

export interface EncoderRef {
  id: string
  dim: number
}

/** Per-column statistics of the train posts' clean features, per modality (null: not standardised). */
export interface Preprocessing {
  encoder: string
  /** The pair's encoders, whose ids carry their versions ('…@1'): what `predict` reads features of. */
  /** With text-guided fusion, also the image region rows appended to the image vector (their id carries the grid). */
  encoders?: { text: EncoderRef; image: EncoderRef; regions?: EncoderRef }
  standardize: { text: { mean: number[]; inverseStd: number[] }; image: { mean: number[]; inverseStd: number[] } } | null
}

