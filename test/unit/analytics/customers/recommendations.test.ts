import { describe, expect, it } from 'vitest';
import {
  fitItemModel,
  hitRate,
  ratingsFromLines,
  recommend,
  recommendPopular,
  scoreItem,
  type Ratings,
} from '../../../../shared/analytics/customers/recommendations';
import { line } from './fixtures';

const ratings = (rows: Record<string, Record<string, number>>): Ratings =>
  new Map(Object.entries(rows).map(([u, r]) => [u, new Map(Object.entries(r))]));

// 3 users × 3 items. Columns A = (2, 1, 0), B = (1, 0, 1), C = (0, 1, 2):
// |A| = √5, |B| = √2, |C| = √5; A·B = 2, A·C = 1, B·C = 2
// sim(A,B) = 2/√10, sim(A,C) = 1/5, sim(B,C) = 2/√10.
const R = ratings({ u1: { A: 2, B: 1 }, u2: { A: 1, C: 1 }, u3: { B: 1, C: 2 } });

describe('item-based collaborative filtering', () => {
  const model = fitItemModel(R);
  const sim = (a: string, b: string) => model.sim[model.index.get(a)! * model.items.length + model.index.get(b)!]!;

  it('computes cosine similarities between item columns', () => {
    expect(sim('A', 'B')).toBeCloseTo(2 / Math.sqrt(10), 6);
    expect(sim('A', 'C')).toBeCloseTo(0.2, 6);
    expect(sim('B', 'C')).toBeCloseTo(2 / Math.sqrt(10), 6);
    expect(sim('C', 'A')).toBeCloseTo(sim('A', 'C'), 9);
    expect(sim('B', 'B')).toBeCloseTo(1, 6);
  });

  it('scores P(i|u) = Σ r_uj·sim(i,j) / Σ sim(i,j) by hand', () => {
    // u1 rated A = 2, B = 1; for C: (2·0.2 + 1·2/√10) / (0.2 + 2/√10) ≈ 1.2403
    const s = 2 / Math.sqrt(10);
    expect(scoreItem(model, R.get('u1')!, 'C', 0)).toBeCloseTo((0.4 + s) / (0.2 + s), 6);
    expect(scoreItem(model, R.get('u1')!, 'C', 0)).toBeCloseTo(1.2403, 4);
    // With shrinkage 1 in the denominator: 1.0325 / 1.8325
    expect(scoreItem(model, R.get('u1')!, 'C', 1)).toBeCloseTo((0.4 + s) / (1.2 + s), 6);
    // The default shrinkage, 10: 1.0325 / 10.8325
    expect(scoreItem(model, R.get('u1')!, 'C')).toBeCloseTo((0.4 + s) / (10.2 + s), 6);
    expect(scoreItem(model, R.get('u1')!, 'unknown')).toBe(0);
  });

  it('recommends only items not bought yet, and fills from popularity', () => {
    expect(recommend(model, R.get('u1')!, 5)).toEqual(['C']);
    expect(recommend(model, new Map(), 2)).toEqual(['A', 'B']); // cold start: most buyers first, ties by code
    expect(recommendPopular(model, R.get('u3')!, 5)).toEqual(['A']);
  });

  it('ranks by score', () => {
    // u4 likes A a lot and B a little: D is bought with A by others, E with B.
    const big = ratings({ x: { A: 3, D: 3 }, y: { B: 3, E: 3 }, z: { A: 1, B: 1 }, u4: { A: 3, B: 1 } });
    const m = fitItemModel(big);
    expect(recommend(m, big.get('u4')!, 2)).toEqual(['D', 'E']);
    expect(recommend(m, big.get('u4')!, 2, 0)).toEqual(['D', 'E']);
  });

  it('measures hit rate against what users bought later', () => {
    const test = ratings({ u1: { C: 1 }, u2: { A: 1 }, u3: { A: 1, B: 1 }, stranger: { A: 1 } });
    // u1: new item C, recommended → hit. u2: bought only A again → not evaluated. u3: new A → hit.
    // stranger has no training history → not evaluated.
    expect(hitRate(model, test, (u) => recommend(model, u, 1))).toEqual({ users: 2, hitRate: 1, precision: 1 });
  });

  it('builds log(1 + net quantity) ratings from product lines', () => {
    const r = ratingsFromLines([
      line('1', '2011-01-03', 4, 1, { stockCode: '20001' }),
      line('1', '2011-01-05', -1, 1, { stockCode: '20001', invoiceNo: 'C1' }),
      line('1', '2011-01-05', 1, 5, { stockCode: 'POST' }),
      line('2', '2011-01-05', 2, 1, { stockCode: '20002' }),
      line('2', '2011-01-06', -2, 1, { stockCode: '20002', invoiceNo: 'C2' }),
    ]);
    expect([...r.keys()]).toEqual(['1']); // user 2 returned everything
    expect(r.get('1')!.get('20001')).toBeCloseTo(Math.log(4), 12);
    expect(r.get('1')!.has('POST')).toBe(false);
  });
});
