/**
 * Binary logistic regression over sparse vectors, L2-regularised, trained by AdaGrad SGD
 * with a seeded shuffle (same data + seed = same weights). Small on purpose: the sentiment
 * model has ~10^4 features and ~10^3 examples, where this converges in a few dozen epochs.
 */
import { seededRandom, shuffle } from '../../lib/random';

/** A sparse vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  index: number[];
  value: number[];
}

export interface LogisticSettings {
  /** L2 penalty per example step (lambda / n in the usual objective). */
  l2: number;
  epochs: number;
  learningRate: number;
  seed: number;
}

export interface LogisticWeights {
  bias: number;
  weights: Float64Array;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** w·x + b for one sparse vector. */
export function dot(x: SparseVector, model: LogisticWeights): number {
  let z = model.bias;
  for (let k = 0; k < x.index.length; k++) z += (model.weights[x.index[k] as number] ?? 0) * (x.value[k] as number);
  return z;
}

/**
 * Trains the weights.
 *
 * @param xs - training vectors; indices below `dimension`.
 * @param ys - targets, 1 positive and 0 negative (0.5 for a neutral anchor), same order as xs.
 * @param dimension - number of features.
 * @returns bias and dense weight array.
 */
export function trainLogistic(xs: SparseVector[], ys: number[], dimension: number, settings: LogisticSettings): LogisticWeights {
  const model: LogisticWeights = { bias: 0, weights: new Float64Array(dimension) };
  const g2 = new Float64Array(dimension);
  let biasG2 = 0;
  const order = xs.map((_, i) => i);
  const random = seededRandom(settings.seed);
  const eps = 1e-8;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const x = xs[i] as SparseVector;
      const err = sigmoid(dot(x, model)) - (ys[i] as number);
      for (let k = 0; k < x.index.length; k++) {
        const j = x.index[k] as number;
        // The penalty is applied to the features this example touches ("lazy" L2): a
        // feature seen often is shrunk often, the usual trade for sparse SGD.
        const g = err * (x.value[k] as number) + settings.l2 * (model.weights[j] as number);
        g2[j] = (g2[j] as number) + g * g;
        model.weights[j] = (model.weights[j] as number) - (settings.learningRate * g) / Math.sqrt((g2[j] as number) + eps);
      }
      biasG2 += err * err;
      model.bias -= (settings.learningRate * err) / Math.sqrt(biasG2 + eps);
    }
  }
  return model;
}
