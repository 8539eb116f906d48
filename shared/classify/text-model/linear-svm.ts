/**
 * One-vs-rest linear SVM with the squared hinge loss (L2-loss, L2-regularised), trained by
 * dual coordinate descent as liblinear does (Hsieh et al., ICML 2008), with a bias term
 * as an extra constant feature. Deterministic: the visiting order comes from a seeded PRNG.
 */
import { seededRandom as prng, shuffle } from '../../lib/random';
import type { SparseVector } from './tfidf';

export interface SvmOptions {
  /** "ovr": one-vs-rest squared-hinge SVMs; "cs": Crammer–Singer multi-class SVM. */
  algorithm?: 'ovr' | 'cs';
  /** Crammer–Singer only: weight each label's C by n / (labels × n_label), for balanced test sets. */
  balanced?: boolean;
  /** Regularisation: larger C fits the training data harder. */
  c: number;
  /** Upper bound on passes over the data per class. */
  maxEpochs: number;
  /** Stop when the projected-gradient spread of a pass falls below this (liblinear: 0.1). */
  tolerance: number;
  seed: number;
}

export const DEFAULT_SVM: SvmOptions = { algorithm: 'cs', c: 0.5, maxEpochs: 60, tolerance: 0.1, seed: 1 };

/** Dense weights: `weights[f * classes + k]`, plus one bias per class. */
export interface LinearWeights {
  classes: number;
  features: number;
  weights: Float64Array;
  bias: Float64Array;
}


/**
 * Trains one binary L2-loss SVM (labels ±1) by dual coordinate descent; returns
 * w (length features + 1, the last entry the bias).
 */
export function trainBinary(xs: readonly SparseVector[], ys: Int8Array, features: number, options: SvmOptions): Float64Array {
  const n = xs.length;
  const w = new Float64Array(features + 1);
  const alpha = new Float64Array(n);
  const diag = 1 / (2 * options.c);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = xs[i]!.values;
    let s = 1 + diag; // the bias feature contributes 1
    for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
    qii[i] = s;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const random = prng(options.seed);
  for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
    shuffle(order, random);
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (const i of order) {
      const { indices, values } = xs[i]!;
      const y = ys[i]!;
      let wx = w[features]!;
      for (let k = 0; k < indices.length; k++) wx += w[indices[k]!]! * values[k]!;
      const g = y * wx - 1 + diag * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (pg === 0) continue;
      const old = alpha[i]!;
      const next = Math.max(old - g / qii[i]!, 0);
      alpha[i] = next;
      const d = (next - old) * y;
      if (d === 0) continue;
      for (let k = 0; k < indices.length; k++) w[indices[k]!]! += d * values[k]!;
      w[features]! += d;
    }
    if (pgMax - pgMin < options.tolerance) break;
  }
  return w;
}

/** One-vs-rest over `classes` labels (0..classes-1). */
export function trainOneVsRest(
  xs: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  options: SvmOptions = DEFAULT_SVM,
): LinearWeights {
  const weights = new Float64Array(features * classes);
  const bias = new Float64Array(classes);
  const ys = new Int8Array(xs.length);
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < xs.length; i++) ys[i] = labels[i] === k ? 1 : -1;
    const w = trainBinary(xs, ys, features, { ...options, seed: options.seed + k });
    for (let f = 0; f < features; f++) weights[f * classes + k] = w[f]!;
    bias[k] = w[features]!;
  }
  return { classes, features, weights, bias };
}

/** Decision values of one vector, one per class. */
export function decisionValues(x: SparseVector, model: LinearWeights, out = new Float64Array(model.classes)): Float64Array {
  const { classes, weights, bias } = model;
  out.set(bias);
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k]! * classes;
    const v = values[k]!;
    for (let c = 0; c < classes; c++) out[c]! += v * weights[base + c]!;
  }
  return out;
}
