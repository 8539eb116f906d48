import { describe, expect, it } from 'vitest';
import { analyze, buildBm25Index, idf, scoreAll, selfScore } from '../../../shared/knowledge/bm25';
import { suggestAnswers } from '../../../shared/knowledge/suggest';

// Three articles, title and tags weighted like the body (1) so the numbers stay small:
//   a: refund ×2, money        (length 3)
//   b: track, order ×2, statu  (length 4)   "status" stems to "statu"
//   c: cancel ×2, order        (length 3)
// N = 3, avgdl = 10/3; idf(n=1) = ln(1 + 2.5/1.5) = ln(8/3) = 0.980829, idf(n=2) = ln(1.6) = 0.470004.
const corpus = [
  { id: 'a', title: 'refund', body: 'refund money', category: 'REFUND' },
  { id: 'b', title: 'track order', body: 'order status', category: 'ORDER' },
  { id: 'c', title: 'cancel order', body: 'cancel', category: 'ORDER' },
];
const index = buildBm25Index(corpus, { titleWeight: 1, tagWeight: 1 });

describe('BM25 (k1 1.2, b 0.75)', () => {
  it('has the corpus statistics worked by hand', () => {
    expect(index.avgLength).toBeCloseTo(10 / 3, 12);
    expect(idf(index, 'refund')).toBeCloseTo(0.980829, 6);
    expect(idf(index, 'order')).toBeCloseTo(0.470004, 6);
    // A term no article holds: ln(1 + 3.5/0.5) = ln 8.
    expect(idf(index, 'parcel')).toBeCloseTo(Math.log(8), 12);
  });

  it('scores "order" as worked by hand', () => {
    // b: tf 2, norm 0.25 + 0.75·4/(10/3) = 1.15 → 0.470004·2·2.2/(2 + 1.2·1.15) = 0.611839
    // c: tf 1, norm 0.925 → 0.470004·2.2/(1 + 1.11) = 0.490051
    const [a, b, c] = scoreAll(index, ['order']);
    expect(a).toBe(0);
    expect(b).toBeCloseTo(0.611839, 5);
    expect(c).toBeCloseTo(0.490051, 5);
    // Self-score: one term, length 1, norm 0.475 → 0.470004·2.2/1.57 = 0.658604
    expect(selfScore(index, ['order'])).toBeCloseTo(0.658604, 5);
  });

  it('sums distinct query terms and ignores repeats', () => {
    // c for "cancel order": 0.980829·2·2.2/(2 + 1.11) + 0.490051 = 1.387668 + 0.490051 = 1.877720
    expect(scoreAll(index, analyze('cancel my order'))[2]).toBeCloseTo(1.87772, 5);
    expect(scoreAll(index, analyze('cancel cancel order order'))).toEqual(scoreAll(index, analyze('cancel order')));
  });

  it('analyses like the need tokeniser, without placeholders or numbers', () => {
    expect(analyze('Where is my {{Order Number}} 12345? Tracking, please!')).toEqual(['track', 'pleas']);
  });

  it('weighs the title above the body by default (3×)', () => {
    const weighted = buildBm25Index([
      { id: 'x', title: 'invoice', body: 'copy' },
      { id: 'y', title: 'copy', body: 'invoice' },
    ]);
    expect(weighted.docs[0]!.tf.get('invoic')).toBe(3);
    const [x, y] = scoreAll(weighted, ['invoic']);
    expect(x!).toBeGreaterThan(y!);
  });
});

describe('suggestAnswers', () => {
  it('ranks by score with normalised scores and margins as worked by hand', () => {
    const s = suggestAnswers(index, 'order', { limit: 5 });
    expect(s.map((x) => x.articleId)).toEqual(['b', 'c']);
    // 0.611839 / 0.658604 = 0.928994; 0.490051 / 0.658604 = 0.744076
    expect(s[0]!.normalisedScore).toBeCloseTo(0.928994, 5);
    expect(s[1]!.normalisedScore).toBeCloseTo(0.744076, 5);
    expect(s[0]!.margin).toBeCloseTo(0.184918, 5);
    expect(s[1]!.margin).toBeCloseTo(-0.184918, 5);
  });

  it('caps the normalised score at 1', () => {
    // Self-score of "cancel order" (length 2, norm 0.7): 0.980829·2.2/1.84 + 0.470004·2.2/1.84 = 1.734691 < 1.877720.
    const [top] = suggestAnswers(index, 'cancel order', { limit: 1 });
    expect(top!.articleId).toBe('c');
    expect(top!.normalisedScore).toBe(1);
  });

  it('puts the message category first and falls back to the rest', () => {
    expect(suggestAnswers(index, 'refund my order', { limit: 3 }).map((x) => x.articleId)).toEqual(['a', 'b', 'c']);
    expect(suggestAnswers(index, 'refund my order', { limit: 3, category: 'ORDER' }).map((x) => x.articleId)).toEqual(['b', 'c', 'a']);
    expect(suggestAnswers(index, 'refund', { limit: 3, category: 'DELIVERY' }).map((x) => x.articleId)).toEqual(['a']);
  });

  it('suggests nothing for a message without terms, and respects the limit', () => {
    expect(suggestAnswers(index, 'is it?! 123', { limit: 3 })).toEqual([]);
    expect(suggestAnswers(index, 'order', { limit: 1 })).toHaveLength(1);
  });
});
