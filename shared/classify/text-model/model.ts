/**
 * A loaded artifact: vectorise → sparse dot products → temperature softmax → reject option.
 * Loading decodes the base64 blocks once; `predict` allocates only the vector and scores.
 */
import { checkArtifact, fromBase64, indexArray, type ModelArtifact } from './artifact';
import { vectorise, type SparseVector } from './tfidf';

/** One prediction. `outOfScope` is true below the threshold or when the top label is the explicit out-of-scope label. */
export interface Prediction {
  label: string;
  confidence: number;
  outOfScope: boolean;
}

export interface TextModel {
  readonly artifact: ModelArtifact;
  readonly labels: readonly string[];
  /** Label, calibrated confidence (0..1) and the reject decision. */
  predict(text: string): Prediction;
  /** Raw decision values, one per label (for calibration and evaluation). */
  decisionValues(text: string): Float64Array;
  /** Calibrated probabilities, one per label (in `labels` order); the rest of 1 goes to "none of these". */
  probabilities(text: string): Float64Array;
}

/**
 * Softmax of `values / temperature` with an optional extra "none of these" logit. With
 * one-vs-rest SVMs a decision value of 0 is each class's own boundary, so a none-logit of
 * 0 keeps text that no class claims (all values negative) at low confidence even when the
 * temperature is small; the returned probabilities then sum to less than 1.
 */
export function softmax(values: ArrayLike<number>, temperature: number, noneLogit: number | null = null): Float64Array {
  const out = new Float64Array(values.length);
  let max = noneLogit ?? -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  let sum = noneLogit === null ? 0 : Math.exp((noneLogit - max) / temperature);
  for (let i = 0; i < values.length; i++) sum += out[i] = Math.exp((values[i]! - max) / temperature);
  for (let i = 0; i < values.length; i++) out[i]! /= sum;
  return out;
}

/** Index of the largest value (first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * Turns a parsed artifact (the JSON object, or its text) into a model that predicts.
 *
 * @throws Error when the artifact is malformed or of another version.
 */
export function loadModel(json: unknown): TextModel {
  const artifact = checkArtifact(typeof json === 'string' ? JSON.parse(json) : json);
  const classes = artifact.labels.length;
  const index = new Map(artifact.vocabulary.map((t, i) => [t, i]));
  const idf = fromBase64(artifact.idf, Float32Array);
  const Index: new (b: ArrayBuffer) => Uint8Array | Uint16Array = indexArray(classes);
  const counts = fromBase64(artifact.weights.counts, Index);
  const entryLabels = fromBase64(artifact.weights.labels, Index);
  const entryValues = fromBase64(artifact.weights.values, Int8Array);
  const terms = artifact.vocabulary.length;
  // Row starts of the sparse rows; the int8 values are scaled once into floats here.
  const starts = new Uint32Array(terms + 1);
  for (let t = 0; t < terms; t++) starts[t + 1] = starts[t]! + (counts[t] ?? 0);
  if (idf.length !== terms || counts.length !== terms || starts[terms] !== entryValues.length || entryLabels.length !== entryValues.length) {
    throw new Error('artifact weights do not match its vocabulary');
  }
  const scales = artifact.scales;
  const values = Float32Array.from(entryValues, (v, j) => v * scales[entryLabels[j]!]!);
  const bias = Float64Array.from(artifact.bias);
  const oos = artifact.outOfScopeLabel === null ? -1 : artifact.labels.indexOf(artifact.outOfScopeLabel);

  const scoreVector = (x: SparseVector): Float64Array => {
    const acc = Float64Array.from(bias);
    const { indices, values: xv } = x;
    for (let k = 0; k < indices.length; k++) {
      const t = indices[k]!;
      const v = xv[k]!;
      for (let j = starts[t]!, end = starts[t + 1]!; j < end; j++) acc[entryLabels[j]!]! += v * values[j]!;
    }
    return acc;
  };
  const decisionValues = (text: string) => scoreVector(vectorise(text, artifact.features, index, idf));

  return {
    artifact,
    labels: artifact.labels,
    decisionValues,
    probabilities: (text: string) => softmax(decisionValues(text), artifact.temperature, artifact.noneLogit),
    predict(text: string): Prediction {
      const probs = softmax(decisionValues(text), artifact.temperature, artifact.noneLogit);
      const best = argmax(probs);
      const confidence = probs[best]!;
      return { label: artifact.labels[best]!, confidence, outOfScope: best === oos || confidence < artifact.threshold };
    },
  };
}
