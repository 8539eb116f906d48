/**
 * Multinomial logistic regression (softmax, L2-regularised) trained by plain SGD with the
 * weight-scale trick of Bottou (the L2 shrink of every weight is one multiplication), so
 * each step only touches the rows of the example's features. Deterministic (seeded order).
 */
import { type LinearWeights } from './linear-svm';
import { seededRandom as prng, shuffle } from '../../lib/random';
import type { SparseVector } from './tfidf';

export interface SoftmaxOptions {
  /** L2 strength per example (the objective is mean log-loss + lambda/2 ‖W‖²). */
  lambda: number;
  /** Passes over the data. */
  epochs: number;
  /** Initial learning rate; step t uses eta0 / (1 + lambda × eta0 × t). */
  eta0: number;
  seed: number;
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = { lambda: 1e-6, epochs: 15, eta0: 2, seed: 1 };

/** Trains on `labels` (0..classes-1); returns dense weights and biases (bias not regularised). */
export function trainSoftmax(
  xs: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  options: SoftmaxOptions = DEFAULT_SOFTMAX,
): LinearWeights {
  const K = classes;
  const v = new Float64Array(features * K); // true weights are scale × v
  const bias = new Float64Array(K);
  const z = new Float64Array(K);
  let scale = 1;
  let t = 0;
  const order = Array.from({ length: xs.length }, (_, i) => i);
  const random = prng(options.seed);
  const { lambda, eta0 } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const { indices, values } = xs[i]!;
      const y = labels[i]!;
      z.set(bias);
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k]! * K;
        const x = values[k]! * scale;
        for (let m = 0; m < K; m++) z[m]! += v[base + m]! * x;
      }
      let max = -Infinity;
      for (let m = 0; m < K; m++) if (z[m]! > max) max = z[m]!;
      let sum = 0;
      for (let m = 0; m < K; m++) sum += z[m] = Math.exp(z[m]! - max);
      const eta = eta0 / (1 + lambda * eta0 * t++);
      scale *= 1 - eta * lambda;
      // z becomes the gradient p - onehot(y), times the step.
      for (let m = 0; m < K; m++) z[m] = (eta * (z[m]! / sum - (m === y ? 1 : 0)));
      for (let m = 0; m < K; m++) bias[m]! -= z[m]!;
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k]! * K;
        const x = values[k]! / scale;
        for (let m = 0; m < K; m++) v[base + m]! -= z[m]! * x;
      }
      if (scale < 1e-6) {
        for (let j = 0; j < v.length; j++) v[j]! *= scale;
        scale = 1;
      }
    }
  }
  for (let j = 0; j < v.length; j++) v[j]! *= scale;
  return { classes: K, features, weights: v, bias };
}
