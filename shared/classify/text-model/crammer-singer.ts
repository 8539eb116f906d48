/**
 * Multi-class linear SVM of Crammer and Singer, trained by the sequential dual method of
 * Keerthi et al. (KDD 2008) as liblinear's `-s 4` does: one small sub-problem over the K
 * dual variables of each example in turn, solved exactly by a sort. A constant feature
 * gives each class a bias. Deterministic (seeded visiting order).
 */
import { type LinearWeights, type SvmOptions } from './linear-svm';
import { seededRandom as prng, shuffle } from '../../lib/random';
import type { SparseVector } from './tfidf';

/** Trains on `labels` (0..classes-1); returns dense weights and biases. */
export function trainCrammerSinger(
  xs: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  options: SvmOptions,
): LinearWeights {
  const n = xs.length;
  const K = classes;
  const w = new Float64Array((features + 1) * K); // row `features` is the bias feature
  const alpha = new Float64Array(n * K);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (const v of xs[i]!.values) s += v * v;
    qd[i] = s;
  }
  const G = new Float64Array(K);
  const B = new Float64Array(K);
  const D = new Float64Array(K);
  const next = new Float64Array(K);
  // Per-example C: with `balanced`, C × n / (K × n_label), as sklearn's class_weight="balanced".
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  const Cs = Float64Array.from(labels, (y) => (options.balanced ? (options.c * n) / (K * counts[y]!) : options.c));
  const biasBase = features * K;
  const order = Array.from({ length: n }, (_, i) => i);
  const random = prng(options.seed);
  for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
    shuffle(order, random);
    let spread = 0;
    for (const i of order) {
      const { indices, values } = xs[i]!;
      const y = labels[i]!;
      const a = qd[i]!;
      const ai = i * K;
      const C = Cs[i]!;
      for (let m = 0; m < K; m++) G[m] = (m === y ? 0 : 1) + w[biasBase + m]!;
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k]! * K;
        const v = values[k]!;
        for (let m = 0; m < K; m++) G[m]! += w[base + m]! * v;
      }
      let minG = Infinity;
      let maxG = -Infinity;
      for (let m = 0; m < K; m++) {
        if (alpha[ai + m]! < 0 && G[m]! < minG) minG = G[m]!;
        if (G[m]! > maxG) maxG = G[m]!;
      }
      if (alpha[ai + y]! < C && G[y]! < minG) minG = G[y]!;
      if (maxG - minG <= 1e-12) continue;
      spread = Math.max(spread, maxG - minG);
      for (let m = 0; m < K; m++) B[m] = G[m]! - a * alpha[ai + m]!;
      solveSubProblem(a, y, C, B, D, next);
      for (let m = 0; m < K; m++) {
        const d = next[m]! - alpha[ai + m]!;
        alpha[ai + m] = next[m]!;
        if (Math.abs(d) <= 1e-12) continue;
        for (let k = 0; k < indices.length; k++) w[indices[k]! * K + m]! += d * values[k]!;
        w[biasBase + m]! += d;
      }
    }
    if (spread < options.tolerance) break;
  }
  return { classes: K, features, weights: w.subarray(0, biasBase), bias: w.slice(biasBase) };
}

/** The closed-form solution of one example's sub-problem (liblinear's `solve_sub_problem`). */
function solveSubProblem(a: number, y: number, C: number, B: Float64Array, D: Float64Array, out: Float64Array): void {
  const K = B.length;
  D.set(B);
  D[y]! += a * C;
  D.sort().reverse();
  let beta = D[0]! - a * C;
  let r = 1;
  for (; r < K && beta < r * D[r]!; r++) beta += D[r]!;
  beta /= r;
  for (let m = 0; m < K; m++) {
    const v = (beta - B[m]!) / a;
    out[m] = m === y ? Math.min(C, v) : Math.min(0, v);
  }
}
