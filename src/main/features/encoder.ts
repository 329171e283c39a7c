// The encoder contract the feature pipeline codes against. Encoders are frozen: the same input
// always gives the same vector, so features can be cached per (post, encoder, view).

/** An image decoded to 8-bit RGB, row-major, no alpha (sharp: `.removeAlpha().raw()`). */
export interface RgbImage {
  data: Uint8Array
  width: number
  height: number
}

export interface EncoderInfo {
  /** Stable id stored with every cached vector; change it whenever the output would change. */
  id: string
  modality: 'image' | 'text'
  /** Length of every vector this encoder returns. */
  dim: number
  /** One line for the UI: what the vector captures. */
  description: string
  /**
   * Image encoders: the side of the square the encoder looks at (224 when absent). Augmented
   * views are cut at this size, so the encoder sees them without resizing again.
   */
  inputSize?: number
}

export interface ImageEncoder {
  readonly info: EncoderInfo & { modality: 'image' }
  /** One vector per image, in order. Implementations batch internally as they see fit. */
  encode(images: readonly RgbImage[]): Promise<Float32Array[]>
  dispose(): Promise<void>
}

export interface TextEncoder {
  readonly info: EncoderInfo & { modality: 'text' }
  encode(texts: readonly string[]): Promise<Float32Array[]>
  dispose(): Promise<void>
}

/** What a project extracts with: one image and one text encoder. */
export interface EncoderPair {
  /** 'default' for the embedded pair, 'onnx:<folder>' for a user's ONNX folder. */
  id: string
  image: ImageEncoder
  text: TextEncoder
}
