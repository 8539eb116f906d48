import type { SentimentLabel } from '../sentiment';
import type { SentimentModelParams } from './model';

/**
 * The shipped model file (shared/classify/models/sentiment-en.json): parameters plus
 * where they came from and how well the recipe did in cross-validation.
 */
export interface SentimentArtifact {
  format: 'switchboard-sentiment/1';
  /** Language the model was trained on; other languages are not scored. */
  language: string;
  training: { file: string; folder: string; sha256: string; rows: number };
  /** The neutral anchors (plain support requests) trained towards 0.5. */
  anchors: { file: string; folder: string; sha256: string; rows: number };
  metrics: {
    cv: { k: number; seed: number; folds: number[]; mean: number; sd: number; byGroup: Record<string, number> };
    neutralBand: BandFigures;
  };
  /** |p - 0.5| below this is "neutral" (the model is unsure). */
  neutralBand: number;
  model: SentimentModelParams;
}

/** How the neutral rule behaves on the out-of-fold predictions of the CV. */
export interface BandFigures {
  band: number;
  noEvidenceBand: number;
  /** Share of texts labelled neutral by `labelFromProbability`. */
  shareNeutral: number;
  /** Binary accuracy on the texts not labelled neutral. */
  accuracyOutsideBand: number;
  /** Share of texts with no lexicon word, and the share of those labelled neutral. */
  shareNoEvidence: number;
  shareNoEvidenceNeutral: number;
}

/**
 * The model is unsure when its probability is within this distance of 0.5 (0.4 < p < 0.6):
 * such texts are labelled neutral and are the ones hybrid mode sends to Comprehend. On
 * uci train's out-of-fold predictions about 6 % of the texts fall inside, and the model is
 * right on only about half of them.
 */
export const NEUTRAL_BAND = 0.1;

/**
 * The wider band used when the lexicon found no sentiment word: uci has no neutral
 * sentences, so on a plain support request ("see above") the model has nothing to go on
 * but n-grams of review text and can still sound sure. Without lexicon evidence we only
 * follow it when p <= 0.15 or p >= 0.85.
 */
export const NO_EVIDENCE_BAND = 0.35;

/**
 * The label of a probability: neutral inside the band (wider without lexicon evidence).
 *
 * @param p - model probability of positive.
 * @param lexiconWords - number of lexicon words that scored in the text.
 */
export function labelFromProbability(p: number, lexiconWords: number, band = NEUTRAL_BAND, noEvidenceBand = NO_EVIDENCE_BAND): SentimentLabel {
  if (Math.abs(p - 0.5) < (lexiconWords > 0 ? band : noEvidenceBand)) return 'neutral';
  return p >= 0.5 ? 'positive' : 'negative';
}
