// The settings groups of the methods that have their own (config groups `scdr`, `sppScl`, `ulgm`);
// their values and rules live with the trainer (training/config.ts).
export interface ScdrSettings {
  /** Unimodal supervision and PLF run while the 0-based epoch is ≤ this (10); see plfShare. */
  plfEpochs: number
  /** When > 0, the label-filter/PLF phase is this share of the run's steps instead (the paper's ≈ 0.008); 0 = plfEpochs. */
  plfShare: number
  /** 'always': the unimodal heads learn every labeled post's label at every step; 'filter': only during the PLF phase, through the label filter (the paper). */
  unimodalLabels: 'always' | 'filter'
  /** The label filter keeps a labeled post for a unimodal head when its CE is below this × L_m (0.5). */
  labelFilterFactor: number
  /** PLF drops when a unimodal head on the common feature has CE above this × L_sup (1.0). */
  plfFactor: number
  /** Weight of L_sim + L_ort inside L_dec (0.1). */
  decouplingWeight: number
  /** The ordinal hinge's margin per class step, 0.15·|Δid|. */
  hingeMargin: number
  /** 'frozen': the released code's selector, random and never trained (QUIRK); 'supervised': trained to pick the token whose head has the lowest CE on the labeled batch. */
  selector: 'frozen' | 'supervised'
  /** Weight of the selector's loss when supervised. */
  selectorWeight: number
  /** 'decoupling': the second strong view is forwarded for the decoupling losses only (QUIRK); 'off': not drawn at all. */
  s1View: 'decoupling' | 'off'
  /**
   * Weight of SPP-SCL as an auxiliary loss (ALGORITHMS §2; 0 = off): the intra-modal SupCon terms on
   * the labeled rows' text and image projections, and the conditional step 2 after each update; τ and
   * the terms' relative weights are the `sppScl` group's.
   */
  sppSclWeight: number
}

/** SPP-SCL on cached features (ALGORITHMS §2; config group `sppScl`). */
export interface SppSclSettings {
  /** τ of the three supervised contrastive losses (0.07). */
  temperature: number
  /** The factor inside the CE term (5, hard-coded in the released code). */
  ceWeight: number
  /** Weights of the intra-modal SupCon terms on the text and image projections, and of step 2's inter-modal one (1 each). */
  textWeight: number
  imageWeight: number
  interWeight: number
  /** Width of the per-modality feature (128), of the aligned projections (32) and of the fusion layer (64). */
  branch: number
  dim: number
  fusionHidden: number
  /** Dropout of every projection and of the fusion layer in training (0.2); step 2's re-forward draws new masks. */
  dropout: number
}

/** Self-MM's unimodal label generation (ALGORITHMS §4.2, §8.3) as an option of supervised and SCDR runs (config group `ulgm`). */
export interface UlgmSettings {
  /** 'on': text and image heads learn labels generated per batch from the fused label and class-centre distances. */
  mode: 'off' | 'on'
  /** Supervised: width of the text and image encoders the labels are generated from (Self-MM's post_text_dim 64); SCDR reads its heads' hidden layers (clsHidden). */
  hidden: number
  /** Weight of the text and image terms in the multi-task loss (Self-MM: 1); in SCDR, of its text and image heads' CE on the generated labels. */
  weight: number
}

/** Text-guided fusion (ALGORITHMS §4.1, our reading: training/models/text-guided.ts) with `fusion: 'text-guided'` (config group `tgf`). */
export interface TgfSettings {
  /** The side of the image region grid the attention reads (2 or 3; the regions must be extracted: `extract --regions G`). */
  grid: number
  /** Heads of the text-oriented attention (4); `dim` must be a multiple of it. */
  heads: number
  /** Width of the text space, the attention and the mapped image (64). */
  dim: number
  /** 'gate': f = g·e_t + (1 − g)·ẽ_v with a learned gate; 'concat': f = [e_t; ẽ_v]. SCDR adds the attention to its common token either way. */
  combine: 'gate' | 'concat'
}
