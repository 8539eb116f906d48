import { describe, expect, it } from 'vitest';
import { trainSoftmax } from '../../../../shared/classify/text-model/logistic';
import { decisionValues } from '../../../../shared/classify/text-model/linear-svm';
import { blend } from '../../../../shared/classify/text-model/train';
import type { SparseVector } from '../../../../shared/classify/text-model/tfidf';

const vec = (pairs: Array<[number, number]>): SparseVector => ({ indices: Int32Array.from(pairs, (p) => p[0]), values: Float64Array.from(pairs, (p) => p[1]) });

describe('softmax regression by SGD', () => {
  it('takes the hand-worked first step', () => {
    // One row x = {f0: 2}, label 0, two labels, no L2, eta 1: z = [0, 0] → p = [0.5, 0.5],
    // gradient p - onehot = [-0.5, 0.5] → bias [0.5, -0.5], w[f0] = -gradient × 2 = [1, -1].
    const w = trainSoftmax([vec([[0, 2]])], Int32Array.from([0]), 2, 1, { lambda: 0, epochs: 1, eta0: 1, seed: 1 });
    expect([...w.weights]).toEqual([1, -1]);
    expect([...w.bias]).toEqual([0.5, -0.5]);
  });

  it('separates three labels and shrinks weights under strong L2', () => {
    const xs = [vec([[0, 1]]), vec([[1, 1]]), vec([[2, 1]]), vec([[0, 0.8], [3, 0.6]]), vec([[1, 0.8], [3, 0.6]]), vec([[2, 0.8], [3, 0.6]])];
    const ys = Int32Array.from([0, 1, 2, 0, 1, 2]);
    const w = trainSoftmax(xs, ys, 3, 4, { lambda: 1e-3, epochs: 30, eta0: 1, seed: 1 });
    xs.forEach((x, i) => {
      const d = decisionValues(x, w);
      expect(d.indexOf(Math.max(...d))).toBe(ys[i]);
    });
    const strong = trainSoftmax(xs, ys, 3, 4, { lambda: 10, epochs: 30, eta0: 1, seed: 1 });
    const norm = (a: Float64Array) => Math.hypot(...a);
    expect(norm(strong.weights)).toBeLessThan(norm(w.weights) / 5);
  });
});

describe('blend', () => {
  it('adds the other model centred per term and rescaled to the base spread', () => {
    // One term, two labels; on x = {f0: 1} base gives [1 - 0.5, 0 - 0.5] (RMS 0.5). Other
    // centred: w [-1, 1], bias [-0.25, 0.25] → [-1.25, 1.25] (RMS 1.25): factor = 0.5 / 1.25
    // = 0.4 → w [1 - 0.4, 0 + 0.4], bias [-0.5 - 0.1, -0.5 + 0.1].
    const base = { classes: 2, features: 1, weights: Float64Array.from([1, 0]), bias: Float64Array.from([-0.5, -0.5]) };
    const other = { classes: 2, features: 1, weights: Float64Array.from([0, 2]), bias: Float64Array.from([2, 2.5]) };
    const b = blend(base, other, [vec([[0, 1]])], 1);
    [0.6, 0.4].forEach((w, m) => expect(b.weights[m]).toBeCloseTo(w, 12));
    [-0.6, -0.4].forEach((w, m) => expect(b.bias[m]).toBeCloseTo(w, 12));
    // Weight 0 leaves the base model.
    expect([...blend(base, other, [vec([[0, 1]])], 0).weights]).toEqual([1, 0]);
  });
});
