import { extractFeatures, type BlockFeatures, type FeatureSettings } from './features';
import { dot, sigmoid, trainLogistic, type SparseVector } from './logistic';

/**
 * The sentiment model: tf-idf (or NB log-count-ratio) weighted word and char n-grams plus
 * dense lexicon features, feeding binary logistic regression. Training and prediction
 * share `vectorize`, so a shipped artifact scores exactly as it did in cross-validation.
 */

export interface SentimentModelSettings extends FeatureSettings {
  /** A sparse feature must occur in at least this many training texts to be kept. */
  minDf: number;
  /** 1 + log(tf) instead of tf. */
  sublinearTf: boolean;
  /**
   * Feature scaling: 'idf' (tf-idf) or 'nb' (Wang & Manning's NB log-count ratio, the
   * NB-SVM trick: each feature scaled by how lopsided it is between the classes).
   */
  scaling: 'idf' | 'nb';
  /**
   * Floors of each block's L2 norm: a text with fewer n-grams than a typical sentence is
   * scaled down instead of up, so "hello" (a few char n-grams, nothing the model knows)
   * stays near the bias instead of being blown up to a confident pole. 0 = plain L2.
   */
  wordNormFloor: number;
  charNormFloor: number;
  /** Weight of each block after its L2 normalisation. */
  wordWeight: number;
  charWeight: number;
  lexiconWeight: number;
  l2: number;
  epochs: number;
  learningRate: number;
  seed: number;
}

/** The trained parameters; the artifact adds provenance and metrics around them. */
export interface SentimentModelParams {
  settings: SentimentModelSettings;
  bias: number;
  /** Sparse blocks as parallel arrays (cheap to type-check and to load from JSON). */
  word: SparseBlockParams;
  char: SparseBlockParams;
  /** Dense lexicon feature -> weight. */
  lexicon: Record<string, number>;
}

/** One sparse block: feature keys, their scales (idf or NB ratio) and weights, same order. */
export interface SparseBlockParams {
  keys: string[];
  scales: number[];
  weights: number[];
}

export interface LabelledText {
  text: string;
  positive: boolean;
  /**
   * A neutral anchor (a plain support request): trained towards probability 0.5, so
   * words that carry no feeling ("order", "password") do not tip a request to a pole.
   * `positive` is ignored for it.
   */
  neutral?: boolean;
}

/** Index of a fitted vocabulary: feature -> [column, scale]. */
type Vocab = Map<string, [number, number]>;

interface Fitted {
  word: Vocab;
  char: Vocab;
  lexicon: Map<string, number>;
  dimension: number;
}

function tfValue(tf: number, sublinear: boolean): number {
  return sublinear ? 1 + Math.log(tf) : tf;
}

/** Appends one sparse block, L2-normalised, scaled by `weight`. */
function pushBlock(out: SparseVector, counts: Map<string, number>, vocab: Vocab, weight: number, sublinear: boolean, floor: number): void {
  const start = out.index.length;
  let norm = 0;
  for (const [key, tf] of counts) {
    const entry = vocab.get(key);
    if (!entry) continue;
    const v = tfValue(tf, sublinear) * entry[1];
    out.index.push(entry[0]);
    out.value.push(v);
    norm += v * v;
  }
  if (norm === 0) return;
  const scale = weight / Math.max(Math.sqrt(norm), floor);
  for (let k = start; k < out.value.length; k++) out.value[k] = (out.value[k] as number) * scale;
}

function vectorize(features: BlockFeatures, fitted: Fitted, settings: SentimentModelSettings): SparseVector {
  const out: SparseVector = { index: [], value: [] };
  pushBlock(out, features.w, fitted.word, settings.wordWeight, settings.sublinearTf, settings.wordNormFloor);
  pushBlock(out, features.c, fitted.char, settings.charWeight, settings.sublinearTf, settings.charNormFloor);
  for (const [key, v] of features.l) {
    const column = fitted.lexicon.get(key);
    if (column !== undefined && v !== 0) {
      out.index.push(column);
      out.value.push(v * settings.lexiconWeight);
    }
  }
  return out;
}

/** Builds one block's vocabulary (min df) with idf or NB-ratio scales; columns from `offset`. */
function fitBlock(docs: Array<Map<string, number>>, ys: number[], settings: SentimentModelSettings, offset: number): Vocab {
  const df = new Map<string, [number, number, number]>(); // [positive, negative, all] docs
  docs.forEach((doc, i) => {
    for (const key of doc.keys()) {
      const d = df.get(key) ?? [0, 0, 0];
      if (ys[i] === 1) d[0]++;
      if (ys[i] === 0) d[1]++;
      d[2]++;
      df.set(key, d);
    }
  });
  const kept = [...df].filter(([, [, , all]]) => all >= settings.minDf).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let posTotal = 0;
  let negTotal = 0;
  for (const [, [p, n]] of kept) [posTotal, negTotal] = [posTotal + p + 1, negTotal + n + 1];
  const vocab: Vocab = new Map();
  kept.forEach(([key, [p, n, all]], i) => {
    // Smoothed idf as sklearn's; the NB ratio with add-one smoothing, as its absolute
    // value: the sign is the regression's job, the scale says how telling a feature is.
    const scale =
      settings.scaling === 'idf'
        ? Math.log((1 + ys.length) / (1 + all)) + 1
        : Math.abs(Math.log((p + 1) / posTotal) - Math.log((n + 1) / negTotal)) + 0.1;
    vocab.set(key, [offset + i, scale]);
  });
  return vocab;
}

/**
 * Trains the model on labelled texts.
 *
 * @param data - texts with their binary label.
 * @param settings - features, scaling, block weights and optimiser settings.
 * @returns the parameters (deterministic for the same data and settings).
 */
export function trainSentimentModel(data: LabelledText[], settings: SentimentModelSettings): SentimentModelParams {
  const features = data.map((d) => extractFeatures(d.text, settings));
  const ys = data.map((d) => (d.neutral ? 0.5 : d.positive ? 1 : 0));
  const word = fitBlock(features.map((f) => f.w), ys, settings, 0);
  const char = fitBlock(features.map((f) => f.c), ys, settings, word.size);
  const lexiconKeys = [...(features[0]?.l.keys() ?? [])];
  const lexicon = new Map(lexiconKeys.map((k, i) => [k, word.size + char.size + i]));
  const fitted: Fitted = { word, char, lexicon, dimension: word.size + char.size + lexicon.size };
  const xs = features.map((f) => vectorize(f, fitted, settings));
  const trained = trainLogistic(xs, ys, fitted.dimension, settings);
  const w = (column: number) => round(trained.weights[column] ?? 0);
  const dump = (vocab: Vocab): SparseBlockParams => {
    const entries = [...vocab];
    return {
      keys: entries.map(([key]) => key),
      scales: entries.map(([, [, scale]]) => round(scale)),
      weights: entries.map(([, [column]]) => w(column)),
    };
  };
  return {
    settings,
    bias: round(trained.bias),
    word: dump(word),
    char: dump(char),
    lexicon: Object.fromEntries([...lexicon].map(([key, column]) => [key, w(column)])),
  };
}

function round(n: number): number {
  // Four decimals: the artifact stays well under 1 MB and CV accuracy does not move.
  return Math.round(n * 1e4) / 1e4;
}

/** A loaded model: the parameters re-indexed for fast scoring. */
export interface SentimentPredictor {
  /** Probability that the text is positive, 0..1. */
  probability(text: string): number;
}

/**
 * Prepares parameters (from `trainSentimentModel` or a JSON artifact) for scoring.
 *
 * @returns a predictor; building it costs one pass over the vocabulary, do it once.
 */
export function loadSentimentModel(params: SentimentModelParams): SentimentPredictor {
  const weights: number[] = [];
  const toVocab = (block: SparseBlockParams): Vocab => {
    const vocab: Vocab = new Map();
    block.keys.forEach((key, i) => {
      vocab.set(key, [weights.length, block.scales[i] ?? 0]);
      weights.push(block.weights[i] ?? 0);
    });
    return vocab;
  };
  const word = toVocab(params.word);
  const char = toVocab(params.char);
  const lexicon = new Map<string, number>();
  for (const [key, weight] of Object.entries(params.lexicon)) {
    lexicon.set(key, weights.length);
    weights.push(weight);
  }
  const fitted: Fitted = { word, char, lexicon, dimension: weights.length };
  const model = { bias: params.bias, weights: Float64Array.from(weights) };
  return {
    probability(text: string): number {
      return sigmoid(dot(vectorize(extractFeatures(text, params.settings), fitted, params.settings), model));
    },
  };
}
