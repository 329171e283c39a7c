// The views a post is encoded in, and their names in the feature cache. Image: the clean image,
// K weak and K strong augmentations (ALGORITHMS §1.10). Text: the clean text and K strong views
// (word dropout / swap); a text's weak view is its clean text, because SCRD augments no text in
// its weak view, so it is stored once, under 'clean'.

export type Modality = 'image' | 'text'
export type ViewKind = 'clean' | 'weak' | 'strong'

export interface View {
  kind: ViewKind
  /** 0..K-1 for augmented views; 0 for clean. */
  index: number
}

/** K when nobody says: one weak and one strong view per post (the maximum is FEATURE_VIEWS_MAX). */
export const DEFAULT_VIEWS = 1

export const viewName = (view: View): string => (view.kind === 'clean' ? 'clean' : `${view.kind}:${view.index}`)

/** The views stored for one modality with K augmented views of each kind, clean first (no text 'weak:k'). */
export function storedViews(modality: Modality, k: number): View[] {
  const kinds: ViewKind[] = modality === 'image' ? ['weak', 'strong'] : ['strong']
  return [{ kind: 'clean', index: 0 }, ...kinds.flatMap((kind) => Array.from({ length: k }, (_, index) => ({ kind, index })))]
}
