/**
 * `trainModel`: labelled examples → artifact (TF-IDF + Crammer–Singer SVM, optionally
 * blended with a softmax model, int8
 * weights, temperature and reject threshold fitted on validation data). `evaluate`:
 * artifact + labelled examples → metrics. Pure: no file I/O, no clock unless `trainedAt`
 * is left out.
 */
import { createHash } from 'node:crypto';
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, packWeights, type ModelArtifact, type ValidationMetrics } from './artifact';
import { chooseThreshold, fitTemperature, metricsOf, type ScoredRow } from './calibrate';
import { trainCrammerSinger } from './crammer-singer';
import { DEFAULT_FEATURES, type FeatureSettings } from './features';
import { DEFAULT_SVM, decisionValues, trainOneVsRest, type LinearWeights, type SvmOptions } from './linear-svm';
import { seededRandom as prng, shuffle } from '../../lib/random';
import { DEFAULT_SOFTMAX, trainSoftmax, type SoftmaxOptions } from './logistic';
import { loadModel, type TextModel } from './model';
import { buildVocabulary, termIndex, vectorise, type SparseVector } from './tfidf';

export interface Example {
  text: string;
  label: string;
}

export interface TrainOptions {
  features?: Partial<FeatureSettings>;
  svm?: Partial<SvmOptions>;
  /**
   * Adds a softmax (multinomial logistic) model on the same features to the SVM: the
   * stored weights are SVM + weight × softmax (rescaled to the SVM's spread, centred per
   * term). Both are linear, so the artifact stays one weight matrix. Off by default (null);
   * `{}` uses `DEFAULT_ENSEMBLE`: +0.3 points on BANKING77, but unrelated text is rejected
   * less often when the training data has no out-of-scope rows (docs/classifier.md).
   */
  ensemble?: (Partial<SoftmaxOptions> & { weight?: number }) | null;
  /** Validation examples for temperature, threshold and metrics; without them a stratified hold-out of train is used, then the model is refit on all. */
  validation?: readonly Example[];
  /** Drop terms whose largest int8 weight is below this many steps (default 1: only all-zero terms); shrinks the artifact. */
  pruneLevel?: number;
  /** Share of each label held out when there is no validation set (default 0.1). */
  holdoutFraction?: number;
  /** The explicit out-of-scope label; default: "oos", "out_of_scope" or "out-of-scope" when present. */
  outOfScopeLabel?: string | null;
  /** SHA-256 of the training file; default: of the examples (`text \t label \n` each). */
  dataSha256?: string;
  trainedAt?: Date;
  onProgress?: (message: string) => void;
}

/** The SVM boundary: text no class claims stays at low confidence. */
const NONE_LOGIT = 0;

const OOS_NAMES = ['oos', 'out_of_scope', 'out-of-scope', 'outofscope'];

/** SHA-256 hex of examples in a canonical form. */
export function examplesSha256(examples: readonly Example[]): string {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(`${e.text}\t${e.label}\n`);
  return hash.digest('hex');
}

/** Stratified split: about `fraction` of each label (at least one when the label has ≥ 2 rows) goes to `held`. */
export function stratifiedSplit<T extends Example>(examples: readonly T[], fraction: number, seed: number): { kept: T[]; held: T[] } {
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), i]));
  const random = prng(seed);
  const heldIdx = new Set<number>();
  for (const label of [...byLabel.keys()].sort()) {
    const idx = shuffle(byLabel.get(label)!, random);
    const n = idx.length < 2 ? 0 : Math.max(1, Math.round(idx.length * fraction));
    for (const i of idx.slice(0, n)) heldIdx.add(i);
  }
  return { kept: examples.filter((_, i) => !heldIdx.has(i)), held: examples.filter((_, i) => heldIdx.has(i)) };
}

/** The ensemble's settings when asked for: softmax weight 0.7 against the SVM (5-fold CV on BANKING77, docs/classifier.md). */
export const DEFAULT_ENSEMBLE: SoftmaxOptions & { weight: number } = { ...DEFAULT_SOFTMAX, weight: 0.7 };

/** Root mean square of all decision values of `model` on `xs`. */
function spread(xs: readonly SparseVector[], model: LinearWeights): number {
  const out = new Float64Array(model.classes);
  let sum = 0;
  for (const x of xs) for (const v of decisionValues(x, model, out)) sum += v * v;
  return Math.sqrt(sum / Math.max(1, xs.length * model.classes)) || 1;
}

/** The model with each term's weights (and the biases) shifted to mean 0 over the labels. */
function centred(model: LinearWeights): LinearWeights {
  const K = model.classes;
  const centre = (src: ArrayLike<number>, at: number, dst: Float64Array) => {
    let mean = 0;
    for (let m = 0; m < K; m++) mean += src[at + m]!;
    mean /= K;
    for (let m = 0; m < K; m++) dst[at + m] = src[at + m]! - mean;
  };
  const weights = new Float64Array(model.weights.length);
  for (let f = 0; f < model.features; f++) centre(model.weights, f * K, weights);
  const bias = new Float64Array(K);
  centre(model.bias, 0, bias);
  return { ...model, weights, bias };
}

/**
 * base + weight × other, `other` centred over
 * the labels (so it moves labels against each other, not the overall level the none-logit
 * compares with) and scaled to `base`'s spread (root mean square) of decision values on
 * the training rows `xs`.
 */
export function blend(base: LinearWeights, other: LinearWeights, xs: readonly SparseVector[], weight: number): LinearWeights {
  const c = centred(other);
  const factor = (weight * spread(xs, base)) / spread(xs, c);
  const weights = Float64Array.from(base.weights, (w, j) => w + factor * c.weights[j]!);
  // The softmax's biases carry most of the gain (5-fold CV 90.90 % without them), but they
  // also lift the top label of a text no class claims: fewer unrelated texts are rejected.
  const bias = Float64Array.from(base.bias, (b, m) => b + factor * c.bias[m]!);
  return { classes: base.classes, features: base.features, weights, bias };
}

/** Fits vocabulary and weights; temperature 1, threshold 0, no metrics yet. */
function fit(examples: readonly Example[], labels: string[], features: FeatureSettings, svm: SvmOptions, ensemble: (SoftmaxOptions & { weight: number }) | null, oos: string | null, pruneLevel: number): ModelArtifact {
  const vocabulary = buildVocabulary(examples.map((e) => e.text), features);
  const index = termIndex(vocabulary);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const xs = examples.map((e) => vectorise(e.text, features, index, vocabulary.idf));
  const ys = Int32Array.from(examples, (e) => labelIndex.get(e.label)!);
  const svmWeights = svm.algorithm === 'cs'
    ? trainCrammerSinger(xs, ys, labels.length, vocabulary.terms.length, svm)
    : trainOneVsRest(xs, ys, labels.length, vocabulary.terms.length, svm);
  const weights = ensemble && ensemble.weight > 0
    ? blend(svmWeights, trainSoftmax(xs, ys, labels.length, vocabulary.terms.length, ensemble), xs, ensemble.weight)
    : svmWeights;
  const svmName = svm.algorithm === 'cs' ? 'crammer-singer-svm' : 'ovr-l2loss-svm';
  return {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    labels,
    outOfScopeLabel: oos,
    features,
    ...packWeights(vocabulary, weights, pruneLevel),
    temperature: 1,
    noneLogit: NONE_LOGIT,
    threshold: 0,
    trainer: {
      algorithm: weights === svmWeights ? svmName : `${svmName}+softmax`,
      c: svm.c,
      maxEpochs: svm.maxEpochs,
      seed: svm.seed,
      ...(weights === svmWeights || !ensemble ? {} : { softmax: { weight: ensemble.weight, lambda: ensemble.lambda, epochs: ensemble.epochs, eta0: ensemble.eta0 } }),
    },
    trainingData: { sha256: '', examples: examples.length },
    trainedAt: '',
    metrics: null,
  };
}

function scoreRows(model: TextModel, examples: readonly Example[]): ScoredRow[] {
  const labelIndex = new Map(model.labels.map((l, i) => [l, i]));
  return examples.map((e) => ({ decisions: model.decisionValues(e.text), truth: labelIndex.get(e.label) ?? -1 }));
}

/**
 * Trains a text classifier artifact from labelled examples.
 *
 * @param examples - training texts with labels (at least two labels).
 * @param options - feature and SVM settings, validation data, provenance.
 * @returns the artifact, with temperature, threshold and metrics from validation data.
 */
export function trainModel(examples: readonly Example[], options: TrainOptions = {}): ModelArtifact {
  const progress = options.onProgress ?? (() => undefined);
  const features: FeatureSettings = { ...DEFAULT_FEATURES, ...options.features };
  const svm: SvmOptions = { ...DEFAULT_SVM, ...options.svm };
  const pruneLevel = options.pruneLevel ?? 1;
  const ensemble = options.ensemble ? { ...DEFAULT_ENSEMBLE, seed: svm.seed, ...options.ensemble } : null;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`training data needs at least two labels, got ${labels.length}`);
  const oos = options.outOfScopeLabel !== undefined ? options.outOfScopeLabel : (labels.find((l) => OOS_NAMES.includes(l.toLowerCase())) ?? null);
  if (oos !== null && !labels.includes(oos)) throw new Error(`out-of-scope label "${oos}" is not in the training data`);

  let calibrationModel: ModelArtifact;
  let validation: readonly Example[];
  let source: string;
  if (options.validation && options.validation.length > 0) {
    validation = options.validation;
    source = `validation set (${validation.length} rows)`;
    progress(`training on ${examples.length} examples, ${labels.length} labels`);
    calibrationModel = fit(examples, labels, features, svm, ensemble, oos, pruneLevel);
  } else {
    const fraction = options.holdoutFraction ?? 0.1;
    const { kept, held } = stratifiedSplit(examples, fraction, svm.seed);
    validation = held;
    source = `stratified hold-out of ${Math.round(fraction * 100)}% of train (${held.length} rows)`;
    progress(`no validation set: holding out ${held.length} of ${examples.length} examples (stratified) for calibration and metrics`);
    progress(`training on ${kept.length} examples, ${labels.length} labels`);
    calibrationModel = fit(kept, labels, features, svm, ensemble, oos, pruneLevel);
  }
  progress('calibrating temperature and reject threshold on validation rows');
  const rows = scoreRows(loadModel(calibrationModel), validation);
  const oosIndex = oos === null ? -1 : labels.indexOf(oos);
  const temperature = fitTemperature(rows, NONE_LOGIT);
  const threshold = chooseThreshold(rows, temperature, NONE_LOGIT, oosIndex);
  const metrics = metricsOf(rows, labels.length, { temperature, noneLogit: NONE_LOGIT, threshold }, oosIndex, source);

  let final = calibrationModel;
  if (!(options.validation && options.validation.length > 0)) {
    progress(`refitting on all ${examples.length} examples (temperature and threshold kept from the hold-out)`);
    final = fit(examples, labels, features, svm, ensemble, oos, pruneLevel);
  }
  return {
    ...final,
    temperature,
    threshold,
    trainingData: { sha256: options.dataSha256 ?? examplesSha256(examples), examples: examples.length },
    trainedAt: (options.trainedAt ?? new Date()).toISOString(),
    metrics,
  };
}

/** Metrics of an artifact on labelled examples, under its own temperature and threshold. */
export function evaluate(artifact: ModelArtifact | TextModel, examples: readonly Example[], source = `${examples.length} examples`): ValidationMetrics {
  const model = 'predict' in artifact ? artifact : loadModel(artifact);
  const a = model.artifact;
  const oos = a.outOfScopeLabel === null ? -1 : a.labels.indexOf(a.outOfScopeLabel);
  return metricsOf(scoreRows(model, examples), a.labels.length, a, oos, source);
}
