/**
 * The model artifact: versioned JSON with everything prediction needs (labels, feature
 * settings, vocabulary, idf, quantised weights, temperature, threshold) and where it came
 * from (training data SHA-256, timestamp, trainer settings, validation metrics).
 *
 * Weights are int8 with one scale per class, stored as sparse rows in base64 (see
 * `quantise`), which is what keeps 77 labels × 27k terms to a few MB instead of ~40 MB of
 * float64 JSON. No zod here: this module is in the Lambda bundle.
 */
import type { FeatureSettings } from './features';
import type { LinearWeights } from './linear-svm';

export const ARTIFACT_FORMAT = 'switchboard-text-model';
/** Version 2 added span n-grams (`features.spanNgrams`); version 1 artifacts still load. */
export const ARTIFACT_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

/** Figures measured on validation data at train time (all fractions 0..1). */
export interface ValidationMetrics {
  /** Where they were measured: "validation file", or "stratified hold-out of N% of train". */
  source: string;
  examples: number;
  /** Argmax label equals the true label (no reject option), over all rows. */
  accuracy: number;
  macroF1: number;
  /** With the reject option: in-scope rows given their right label. */
  inScopeAccuracy: number;
  /** Out-of-scope rows (explicit label, or a label the model does not know) that were rejected; null when none. */
  outOfScopeRecall: number | null;
  /** Share of rows rejected (below the threshold or predicted as the out-of-scope label). */
  rejectRate: number;
  /** Accuracy among in-scope rows that were not rejected. */
  acceptedAccuracy: number;
  /** Mean negative log-likelihood of the calibrated confidences. */
  logLoss: number;
}

export interface ModelArtifact {
  format: typeof ARTIFACT_FORMAT;
  version: number;
  labels: string[];
  /** The training data's explicit out-of-scope label (e.g. CLINC's "oos"), or null. */
  outOfScopeLabel: string | null;
  features: FeatureSettings;
  vocabulary: string[];
  /** idf per vocabulary term, float32 little-endian, base64. */
  idf: string;
  /** Sparse int8 weights, one row per vocabulary term. */
  weights: PackedWeights;
  /** Per-label factor turning int8 weights back into floats. */
  scales: number[];
  bias: number[];
  /** Softmax temperature over decision values, fitted on validation data. */
  temperature: number;
  /** Logit of the implicit "none of these" entry in the softmax (0: the SVM boundary), or null for a plain softmax. */
  noneLogit: number | null;
  /** Below this confidence the prediction is out-of-scope; chosen on validation data. */
  threshold: number;
  trainer: { algorithm: string; c: number; maxEpochs: number; seed: number; softmax?: { weight: number; lambda: number; epochs: number; eta0: number } };
  trainingData: { sha256: string; examples: number };
  trainedAt: string;
  metrics: ValidationMetrics | null;
}

const round = (x: number, digits: number) => Number(x.toPrecision(digits));

/** Base64 of a typed array's bytes. */
function toBase64(bytes: ArrayBufferView): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Weights as sparse rows (one per vocabulary term) of int8 values with per-label scales. */
export interface PackedWeights {
  encoding: 'csr-int8';
  /** Non-zero entries per term: uint8 when there are < 256 labels, else uint16 (little-endian), base64. */
  counts: string;
  /** Label index of each entry, same width as `counts`, base64. */
  labels: string;
  /** int8 value of each entry, base64; the float weight is value × scales[label]. */
  values: string;
}

/** Width of counts and label indices for a number of labels. */
export const indexArray = (classes: number) => (classes < 256 ? Uint8Array : Uint16Array);

/**
 * Quantises dense weights to int8 per class (scale = largest |w| / 127), drops entries
 * below `minLevel` int8 steps (1: only zeros) and terms left with no entry, and packs the
 * rest as sparse rows. Crammer–Singer weights are mostly zero (a rare term only touches the
 * labels of its few examples), so this is several times smaller than a dense matrix.
 */
export function quantise(model: LinearWeights, minLevel = 1): { keep: number[]; packed: PackedWeights; scales: number[] } {
  const { classes, features, weights } = model;
  const scales: number[] = [];
  for (let k = 0; k < classes; k++) {
    let max = 0;
    for (let f = 0; f < features; f++) max = Math.max(max, Math.abs(weights[f * classes + k]!));
    scales.push(round(max > 0 ? max / 127 : 1, 9));
  }
  const keep: number[] = [];
  const counts: number[] = [];
  const labels: number[] = [];
  const values: number[] = [];
  for (let f = 0; f < features; f++) {
    let n = 0;
    for (let k = 0; k < classes; k++) {
      const v = Math.round(weights[f * classes + k]! / scales[k]!);
      if (Math.abs(v) < minLevel || v === 0) continue;
      labels.push(k);
      values.push(v);
      n++;
    }
    if (n > 0) {
      keep.push(f);
      counts.push(n);
    }
  }
  const Index = indexArray(classes);
  return {
    keep,
    scales,
    packed: {
      encoding: 'csr-int8',
      counts: toBase64(Index.from(counts)),
      labels: toBase64(Index.from(labels)),
      values: toBase64(Int8Array.from(values)),
    },
  };
}

/** Everything but provenance and calibration, which the trainer fills in. */
export function packWeights(
  vocabulary: { terms: string[]; idf: Float64Array },
  model: LinearWeights,
  minLevel = 1,
): Pick<ModelArtifact, 'vocabulary' | 'idf' | 'weights' | 'scales' | 'bias'> {
  const { keep, packed, scales } = quantise(model, minLevel);
  const idf = Float32Array.from(keep, (f) => vocabulary.idf[f]!);
  return {
    vocabulary: keep.map((f) => vocabulary.terms[f]!),
    idf: toBase64(idf),
    weights: packed,
    scales,
    bias: Array.from(model.bias, (b) => round(b, 9)),
  };
}

/** Decodes base64 into a typed array (copied, so alignment is right). */
export function fromBase64<T extends ArrayBufferView>(text: string, Kind: { new (b: ArrayBuffer): T }): T {
  const buf = Buffer.from(text, 'base64');
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new Kind(copy);
}

/** Checks the shape of a parsed artifact; throws an Error saying what is wrong. */
export function checkArtifact(json: unknown): ModelArtifact {
  const a = json as Partial<ModelArtifact> | null;
  if (!a || typeof a !== 'object' || a.format !== ARTIFACT_FORMAT) throw new Error(`not a ${ARTIFACT_FORMAT} artifact`);
  if (!READABLE_VERSIONS.includes(a.version as number)) throw new Error(`artifact version ${String(a.version)} is not supported (expected ${READABLE_VERSIONS.join(' or ')})`);
  const labels = a.labels;
  if (!Array.isArray(labels) || labels.length === 0) throw new Error('artifact has no labels');
  const w = a.weights;
  if (!Array.isArray(a.vocabulary) || typeof a.idf !== 'string' || !w || w.encoding !== 'csr-int8' || typeof w.counts !== 'string' || typeof w.labels !== 'string' || typeof w.values !== 'string') {
    throw new Error('artifact has no vocabulary or csr-int8 weights');
  }
  if (!Array.isArray(a.scales) || a.scales.length !== labels.length || !Array.isArray(a.bias) || a.bias.length !== labels.length) {
    throw new Error('artifact scales/bias do not match its labels');
  }
  if (typeof a.temperature !== 'number' || !(a.temperature > 0) || typeof a.threshold !== 'number' || (a.noneLogit !== null && typeof a.noneLogit !== 'number')) throw new Error('artifact has no temperature/threshold');
  if (!a.features || !Array.isArray(a.features.wordNgrams) || !Array.isArray(a.features.charNgrams)) throw new Error('artifact has no feature settings');
  return a as ModelArtifact;
}
